using MultiAgentRec.Simulation;

namespace MultiAgentRec.Coordination;

/// <summary>
/// Keeps items that do not exist yet (see <see cref="ScenarioTimeline"/>: items 0..available−1 exist)
/// out of an agent's candidate list, whatever kind of agent wrote it: the shard applies it to every
/// list before aggregation, so no proposer needs to know about item arrivals. The list keeps its
/// order, scores and whole-catalog mean and spread. A list left with fewer than a slate's worth of
/// items is topped up with random available items scored like its last one (a tie at the bottom:
/// the agent has no preference among them), so that every arm can always fill a slate.
/// </summary>
public static class ItemAvailability
{
    private static readonly ulong FillKey = SimRandom.Key("availability-fill");

    /// <summary>Restricts <paramref name="user"/>'s list to items below <paramref name="available"/>, with at least <paramref name="minimum"/> items (or all there are).</summary>
    public static void Restrict(CandidateSet set, int user, int available, int minimum, int seed, int userIndex, int round, int agent)
    {
        var items = set.ItemRow(user);
        var scores = set.ScoreRow(user);
        var count = set.Counts[user];
        minimum = Math.Min(minimum, Math.Min(available, set.PerUser));
        var kept = 0;
        for (var i = 0; i < count; i++)
        {
            if (items[i] >= available) continue;
            items[kept] = items[i];
            scores[kept++] = scores[i];
        }
        if (kept < minimum)
        {
            var fill = kept > 0 ? scores[kept - 1] : set.RowMean[user];
            var rng = SimRandom.For(seed, FillKey, SimRandom.Mix((ulong)userIndex, (ulong)round), (ulong)agent);
            while (kept < minimum)
            {
                var pick = rng.NextInt(available);
                if (items[..kept].Contains(pick)) continue;
                items[kept] = pick;
                scores[kept++] = fill;
            }
        }
        set.Set(user, kept, set.RowMean[user], set.RowSd[user]);
    }
}
