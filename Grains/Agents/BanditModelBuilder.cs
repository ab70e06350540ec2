using MultiAgentRec.Contracts;
using MultiAgentRec.Simulation;

namespace MultiAgentRec.Agents;

/// <summary>
/// Builds a <see cref="BanditModel"/> one segment at a time from each item's ranking value: the items
/// strictly above the pool's boundary value, best first, then every item tied at the boundary.
/// </summary>
internal sealed class BanditModelBuilder(int segments, int pool)
{
    private readonly List<int> _items = [];
    private readonly List<float> _means = [], _alphas = [], _betas = [];
    private readonly int[] _starts = new int[segments + 1];
    private readonly int[] _tiedStarts = new int[segments];
    private readonly float[] _rowMeans = new float[segments], _rowSds = new float[segments];
    private int _segment;

    /// <summary>
    /// Adds the next segment. <paramref name="values"/> ranks the items (higher first);
    /// <paramref name="describe"/> gives an item's mean and Beta parameters.
    /// </summary>
    public void AddSegment(ReadOnlySpan<float> values, float rowMean, float rowSd, Func<int, (float Mean, float Alpha, float Beta)> describe)
    {
        var top = new int[pool];
        TopK.Select(values, top);
        var boundary = values[top[^1]];
        _starts[_segment] = _items.Count;
        foreach (var item in top)
            if (values[item] > boundary) Add(item, describe);
        _tiedStarts[_segment] = _items.Count;
        for (var item = 0; item < values.Length; item++)
            if (values[item] == boundary) Add(item, describe);
        (_rowMeans[_segment], _rowSds[_segment]) = (rowMean, rowSd);
        _starts[++_segment] = _items.Count;
    }

    private void Add(int item, Func<int, (float Mean, float Alpha, float Beta)> describe)
    {
        var (mean, alpha, beta) = describe(item);
        _items.Add(item);
        _means.Add(mean);
        _alphas.Add(alpha);
        _betas.Add(beta);
    }

    public BanditModel Build() => new(segments, pool, [.. _items], [.. _means], [.. _alphas], [.. _betas], _rowMeans, _rowSds, _starts, _tiedStarts);
}
