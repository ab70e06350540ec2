using MultiAgentRec.Contracts;

namespace MultiAgentRec.Simulation;

/// <summary>
/// How an arm's users are split into shards: the scenario's users first (<see cref="SimulationSpec.ShardCount"/>
/// shards of <c>users.shardSize</c>), then each cold-start cohort in joining order, in shards of its
/// own of the same size. A cohort's shards start playing at its round, so the shards playing a round
/// are always a prefix of this list, and a cohort's figures are the sums of its own shards' reports.
/// </summary>
public static class ShardLayout
{
    public static ShardPlan[] For(SimulationSpec spec)
    {
        var size = spec.Users.ShardSize;
        var shards = new List<ShardPlan>();
        for (var i = 0; i < spec.ShardCount; i++)
        {
            var first = (int)Math.Min((long)i * size, spec.Users.Count);
            shards.Add(new ShardPlan(i, first, (int)Math.Min(size, spec.Users.Count - (long)first), 0, -1));
        }
        foreach (var cohort in UserCohort.Of(spec))
            for (var offset = 0; offset < cohort.Count; offset += size)
                shards.Add(new ShardPlan(shards.Count, cohort.FirstUser + offset, Math.Min(size, cohort.Count - offset), cohort.Round, cohort.Index));
        return [.. shards];
    }

    /// <summary>How many shards (a prefix of <see cref="For"/>) play <paramref name="round"/>.</summary>
    public static int PlayingIn(IReadOnlyList<ShardPlan> shards, int round)
    {
        var n = 0;
        while (n < shards.Count && shards[n].JoinRound <= round) n++;
        return n;
    }

    /// <summary>
    /// How many shard feedbacks <paramref name="agentId"/> of <paramref name="arm"/> receives for round r:
    /// every shard playing the round (cohorts add shards), none while the agent is absent (timed events).
    /// </summary>
    public static Func<int, int> FeedingAgent(SimulationSpec spec, string arm, string agentId)
    {
        var layout = For(spec);
        return round => AgentSchedule.IsActive(spec, arm, agentId, round) ? PlayingIn(layout, round) : 0;
    }
}
