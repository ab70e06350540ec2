using MultiAgentRec.Contracts;
using MultiAgentRec.Simulation;

namespace MultiAgentRec.Agents;

/// <summary>Turns an agent's round model into the proposer the shards use, whatever the agent's kind.</summary>
public static class CandidateProposers
{
    /// <summary>
    /// A proposer for <paramref name="agent"/> of the arm keyed by <paramref name="streamKey"/>, from
    /// its model. Bandit proposers are built by the policy kind's own rules; REINFORCE scores with its snapshot.
    /// </summary>
    public static ICandidateProposer From(World world, AgentSpec agent, ulong streamKey, AgentModel model)
    {
        if (Names.IsValueBased(agent.Kind) && model.Policy is { } values) return new ValueScorer(values, world, agent, streamKey);
        if (model.Policy is { } snapshot) return new PolicyScorer(snapshot, world);
        if (model.Linear is { } linear) return new LinearBanditProposer(linear, world, agent, streamKey);
        var bandit = model.Bandit ?? throw new InvalidOperationException($"agent '{agent.Id}' sent a model with neither bandit state nor a policy");
        // Exploration draws among, and rank scores standardise over, the items that exist in the model's round.
        var live = world.Timeline.AvailableItems(model.Round);
        return agent.Kind switch
        {
            Names.EpsilonGreedy => new EpsilonGreedyProposer(bandit, EpsilonSchedule.Of(agent), live, world.Seed, streamKey),
            Names.Ucb1 or Names.KlUcb when bandit.Shares is not null => new BatchIndexProposer(bandit, live, world.Seed, streamKey),
            Names.Ucb1 or Names.KlUcb => new EpsilonGreedyProposer(bandit, EpsilonSchedule.Greedy, live, world.Seed, streamKey),
            Names.Thompson => new ThompsonSamplingProposer(bandit, world.Seed, streamKey),
            _ => throw new InvalidOperationException($"agent kind '{agent.Kind}' has no bandit proposer"),
        };
    }

    /// <summary>The bandit policy (learned state and model building) of a bandit agent.</summary>
    public static BanditPolicy BanditPolicyFor(World world, AgentSpec agent, ulong streamKey)
    {
        var segments = world.Spec.Users.Segments;
        var items = world.Catalog.Count;
        var candidates = world.Spec.CandidatesPerAgent;
        var slots = world.SlateSize;
        Func<int, int> available = world.Timeline.AvailableItems;
        return agent.Kind switch
        {
            Names.EpsilonGreedy => new EpsilonGreedyPolicy(agent, segments, items, candidates, world.Seed, streamKey, slots) { AvailableAt = available },
            Names.Thompson => new ThompsonSamplingPolicy(agent, segments, items, candidates, world.Seed, streamKey, slots) { AvailableAt = available },
            Names.Ucb1 => new Ucb1Policy(agent, segments, items, candidates, world.Seed, streamKey, slots) { AvailableAt = available },
            Names.KlUcb => new KlUcbPolicy(agent, segments, items, candidates, world.Seed, streamKey, slots) { AvailableAt = available },
            _ => throw new ArgumentException($"'{agent.Kind}' is not a bandit kind", nameof(agent)),
        };
    }

    /// <summary>
    /// An agent's random stream key: its arm and id, never the run id, so that a scenario rerun with
    /// the same seed explores the same way.
    /// </summary>
    public static ulong StreamKey(string arm, string agentId) => SimRandom.Key($"{arm}/{agentId}");
}
