using MultiAgentRec.Contracts;
using MultiAgentRec.Simulation;

namespace MultiAgentRec.Agents;

/// <summary>
/// Builds a <see cref="BanditModel"/> one segment at a time from each item's ranking value: the items
/// strictly above the pool's boundary value, best first, then the items tied at the boundary. When
/// more than <see cref="TiedFactor"/> × pool items tie (early on, a whole unexplored catalog shares
/// the prior), a random subset of that many is kept, drawn afresh each round, so the model's size
/// follows the pool, not the catalog. A segment with a batch allocation (<see cref="AddAllocatedSegment"/>)
/// lists its allocated items and then a pool of others, each with its share (see <see cref="BanditModel"/>).
/// </summary>
internal sealed class BanditModelBuilder(int segments, int pool, int seed, ulong streamKey, int round)
{
    /// <summary>Tied items kept per segment, as a multiple of the pool.</summary>
    public const int TiedFactor = 16;

    private readonly List<int> _items = [];
    private readonly List<float> _means = [], _alphas = [], _betas = [], _shares = [];
    private readonly int[] _starts = new int[segments + 1];
    private readonly int[] _tiedStarts = new int[segments];
    private readonly float[] _rowMeans = new float[segments], _rowSds = new float[segments];
    private int _segment;
    private bool _allocated;

    /// <summary>
    /// Adds the next segment. <paramref name="values"/> ranks the items (higher first): the first
    /// values.Length of the catalog, those that exist this round;
    /// <paramref name="describe"/> gives an item's mean and Beta parameters.
    /// </summary>
    public void AddSegment(ReadOnlySpan<float> values, float rowMean, float rowSd, Func<int, (float Mean, float Alpha, float Beta)> describe)
    {
        // Fewer items than the pool exist while items are still to arrive.
        var top = new int[Math.Min(pool, values.Length)];
        TopK.Select(values, top);
        var boundary = values[top[^1]];
        _starts[_segment] = _items.Count;
        foreach (var item in top)
            if (values[item] > boundary) Add(item, describe);
        _tiedStarts[_segment] = _items.Count;
        var tied = new List<int>();
        for (var item = 0; item < values.Length; item++)
            if (values[item] == boundary) tied.Add(item);
        var keep = TiedFactor * pool;
        if (tied.Count > keep)
        {
            // A uniformly random subset (partial Fisher-Yates), in item order, keyed by agent, round and segment.
            var rng = SimRandom.For(seed, streamKey, SimRandom.Key("ties"), SimRandom.Mix((ulong)round, (ulong)_segment));
            for (var i = 0; i < keep; i++)
            {
                var j = i + rng.NextInt(tied.Count - i);
                (tied[i], tied[j]) = (tied[j], tied[i]);
            }
            tied.RemoveRange(keep, tied.Count - keep);
            tied.Sort();
        }
        foreach (var item in tied) Add(item, describe);
        (_rowMeans[_segment], _rowSds[_segment]) = (rowMean, rowSd);
        _starts[++_segment] = _items.Count;
    }

    /// <summary>
    /// Adds the next segment with a batch allocation: <paramref name="ranked"/> holds items best first
    /// (at least those with pulls), <paramref name="pulls"/> the virtual pulls of its first entries
    /// (<see cref="BatchIndexAllocation"/>) out of at most <paramref name="users"/> per item. Lists the
    /// items with pulls, share = pulls / users, then the next pool of ranked items without, share 0.
    /// </summary>
    public void AddAllocatedSegment(ReadOnlySpan<int> ranked, ReadOnlySpan<long> pulls, long users, float rowMean, float rowSd,
        Func<int, (float Mean, float Alpha, float Beta)> describe)
    {
        _allocated = true;
        _starts[_segment] = _items.Count;
        for (var j = 0; j < pulls.Length; j++)
            if (pulls[j] > 0) Add(ranked[j], describe, (float)Math.Min(1, (double)pulls[j] / users));
        var fill = 0;
        for (var j = 0; j < ranked.Length && fill < pool; j++)
            if (j >= pulls.Length || pulls[j] == 0) { Add(ranked[j], describe, 0); fill++; }
        _tiedStarts[_segment] = _items.Count;
        (_rowMeans[_segment], _rowSds[_segment]) = (rowMean, rowSd);
        _starts[++_segment] = _items.Count;
    }

    private void Add(int item, Func<int, (float Mean, float Alpha, float Beta)> describe, float share = float.NaN)
    {
        _shares.Add(share);
        var (mean, alpha, beta) = describe(item);
        _items.Add(item);
        _means.Add(mean);
        _alphas.Add(alpha);
        _betas.Add(beta);
    }

    public BanditModel Build() =>
        new(segments, pool, [.. _items], [.. _means], [.. _alphas], [.. _betas], _rowMeans, _rowSds, _starts, _tiedStarts, _allocated ? [.. _shares] : null);
}
