using MultiAgentRec.Contracts;
using MultiAgentRec.Simulation;

namespace MultiAgentRec.Agents;

/// <summary>
/// A deterministic index policy (UCB1, KL-UCB): per segment and round, each item's index from its
/// mean and exposure and the segment's total exposure t. Items never shown in a segment rank above
/// every shown one (an infinite index; kept finite in the model as 1 + the largest shown index so that
/// scores standardise). The model's <c>Means</c> carry the indexes.
/// A round serves a whole segment at once, so with <c>batchAllocation</c> on (the default) the round
/// is planned as sequential UCB would spend it: the impressions the segment gained in the last round
/// folded in are handed out as virtual pulls (<see cref="BatchIndexAllocation"/>, at most one per user
/// and item) among the <see cref="BanditModelBuilder.TiedFactor"/> × pool best-ranked items, and each
/// user draws a slate's worth of them with those shares (<see cref="BatchIndexProposer"/>). Before any
/// feedback, and with <c>batchAllocation</c> off, every user of a segment gets the top N by index
/// (equal indexes ranked at random per user).
/// </summary>
public abstract class IndexPolicy(AgentSpec spec, int segments, int items, int candidates, int seed, ulong streamKey, int slateSize)
    : BanditPolicy(spec, segments, items, candidates, seed, streamKey, slateSize)
{
    private readonly bool _batch = spec.Get("batchAllocation", 1) != 0;

    /// <summary>The index of an item with click rate <paramref name="mean"/> over <paramref name="exposure"/> &gt; 0, after <paramref name="total"/> in its segment.</summary>
    protected abstract double Index(double mean, double exposure, double total);

    protected override BanditModel Build(int round)
    {
        int n = Statistics.Items, live = Live(round);
        var builder = new BanditModelBuilder(Statistics.Segments, Candidates, Seed, StreamKey, round);
        // Only the items that exist this round are ranked: one yet to arrive is unseen, and would
        // otherwise rank above every item shown and take the round's allocation.
        var row = new float[live];
        var means = new double[live];
        for (var seg = 0; seg < Statistics.Segments; seg++)
        {
            var offset = (long)seg * n;
            double total = 0;
            for (var i = 0; i < live; i++) total += Exposures[offset + i];
            var best = float.NegativeInfinity;
            for (var i = 0; i < live; i++)
            {
                var exposure = Exposures[offset + i];
                means[i] = exposure > 0 ? Statistics.Clicks[offset + i] / exposure : 0;
                row[i] = exposure > 0 ? (float)Index(means[i], exposure, total) : float.NaN;
                if (exposure > 0) best = Math.Max(best, row[i]);
            }
            var unseen = float.IsNegativeInfinity(best) ? 1 : best + 1;
            for (var i = 0; i < live; i++) if (float.IsNaN(row[i])) row[i] = unseen;
            var (mean, sd) = Coordination.Standardizer.MeanAndSd(row);
            (float, float, float) Describe(int item) => (row[item], 0, 0);
            var (impressions, gained) = LastRound(seg);
            if (!_batch || impressions <= 0)
            {
                builder.AddSegment(row, (float)mean, (float)sd, Describe);
                continue;
            }
            var ranked = Ranked(row, round, seg);
            var considered = Math.Min(live, BanditModelBuilder.TiedFactor * Candidates);
            var consideredMeans = new double[considered];
            var consideredExposures = new double[considered];
            for (var j = 0; j < considered; j++)
            {
                consideredMeans[j] = means[ranked[j]];
                consideredExposures[j] = Exposures[offset + ranked[j]];
            }
            // A user sees an item at most once per slate, so an item can take one pull per user.
            var users = (long)Math.Ceiling(impressions / SlateSize);
            var pulls = new long[considered];
            BatchIndexAllocation.Allocate(consideredMeans, consideredExposures, total, (long)impressions, users, gained / impressions, Index, pulls);
            builder.AddAllocatedSegment(ranked, pulls, users, (float)mean, (float)sd, Describe);
        }
        return builder.Build();
    }

    // Every item, highest index first; equal indexes in a random order drawn per round and segment.
    private int[] Ranked(float[] row, int round, int segment)
    {
        var rng = SimRandom.For(Seed, StreamKey, SimRandom.Key("batch-ties"), SimRandom.Mix((ulong)round, (ulong)segment));
        var tieBreak = new ulong[row.Length];
        for (var i = 0; i < row.Length; i++) tieBreak[i] = rng.NextULong();
        var ranked = new int[row.Length];
        for (var i = 0; i < ranked.Length; i++) ranked[i] = i;
        Array.Sort(ranked, (a, b) => row[a] != row[b] ? row[b].CompareTo(row[a]) : tieBreak[a].CompareTo(tieBreak[b]));
        return ranked;
    }
}
