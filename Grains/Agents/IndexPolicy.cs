using MultiAgentRec.Contracts;

namespace MultiAgentRec.Agents;

/// <summary>
/// A deterministic index policy (UCB1, KL-UCB): per segment and round, each item's index from its
/// clicks and exposures and the segment's total exposures t; every user of the segment gets the top
/// N by index (equal indexes ranked at random per user). Items never shown in a segment rank above
/// every shown one (an infinite index; kept finite as 1 + the largest shown index so that scores
/// standardise). The model's <c>Means</c> carry the indexes: they are what the proposals score by.
/// </summary>
public abstract class IndexPolicy(AgentSpec spec, int segments, int items, int candidates, int seed, ulong streamKey, int slateSize)
    : BanditPolicy(spec, segments, items, candidates, seed, streamKey, slateSize)
{
    /// <summary>The index of an item with <paramref name="clicks"/> over <paramref name="exposure"/> &gt; 0, after <paramref name="total"/> in its segment.</summary>
    protected abstract double Index(double clicks, double exposure, double total);

    protected override BanditModel Build(int round)
    {
        int n = Statistics.Items;
        var builder = new BanditModelBuilder(Statistics.Segments, Candidates, Seed, StreamKey, round);
        var row = new float[n];
        for (var seg = 0; seg < Statistics.Segments; seg++)
        {
            var offset = (long)seg * n;
            double total = 0;
            for (var i = 0; i < n; i++) total += Exposures[offset + i];
            var best = float.NegativeInfinity;
            for (var i = 0; i < n; i++)
            {
                var exposure = Exposures[offset + i];
                row[i] = exposure > 0 ? (float)Index(Statistics.Clicks[offset + i], exposure, total) : float.NaN;
                if (exposure > 0) best = Math.Max(best, row[i]);
            }
            var unseen = float.IsNegativeInfinity(best) ? 1 : best + 1;
            for (var i = 0; i < n; i++) if (float.IsNaN(row[i])) row[i] = unseen;
            var (mean, sd) = Coordination.Standardizer.MeanAndSd(row);
            builder.AddSegment(row, (float)mean, (float)sd, item => (row[item], 0, 0));
        }
        return builder.Build();
    }
}
