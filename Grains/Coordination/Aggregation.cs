namespace MultiAgentRec.Coordination;

/// <summary>Combines several agents' scores for one user into one score per item.</summary>
public interface IAggregationRule
{
    /// <summary>Writes the combined score of every item into <paramref name="output"/>.</summary>
    void Aggregate(IReadOnlyList<float[]> proposals, int offset, int items, ReadOnlySpan<double> weights, Span<float> output);
}

/// <summary>
/// Borda count: each agent ranks all items by its score and gives n−1−rank points; points add up.
/// Scale-free, so agents whose scores live on different scales vote as equals; weights are ignored.
/// Ties in an agent's scores are broken by item index, so the result never depends on agent order.
/// </summary>
public sealed class BordaCountVoting : IAggregationRule
{
    [ThreadStatic] private static (float Score, int Item)[]? t_order;

    public void Aggregate(IReadOnlyList<float[]> proposals, int offset, int items, ReadOnlySpan<double> weights, Span<float> output)
    {
        output[..items].Clear();
        var order = t_order is { Length: var len } && len == items ? t_order : t_order = new (float, int)[items];
        foreach (var scores in proposals)
        {
            var row = scores.AsSpan(offset, items);
            for (var i = 0; i < items; i++) order[i] = (row[i], i);
            // Best first; the index breaks ties so points are deterministic.
            Array.Sort(order, static (x, y) => y.Score.CompareTo(x.Score) is var c && c != 0 ? c : x.Item.CompareTo(y.Item));
            for (var rank = 0; rank < items; rank++) output[order[rank].Item] += items - 1 - rank;
        }
    }
}

/// <summary>
/// Weighted averaging of standardised scores: each agent's row is turned into z-scores (so a
/// click-rate estimate and a logit are comparable), then averaged with the coordinator's weights.
/// </summary>
public sealed class WeightedScoreAveraging : IAggregationRule
{
    public void Aggregate(IReadOnlyList<float[]> proposals, int offset, int items, ReadOnlySpan<double> weights, Span<float> output)
    {
        output[..items].Clear();
        for (var a = 0; a < proposals.Count; a++)
        {
            var row = proposals[a].AsSpan(offset, items);
            var (mean, sd) = Standardizer.MeanAndSd(row);
            var scale = (float)(weights[a] / sd);
            for (var i = 0; i < items; i++) output[i] += (float)((row[i] - mean) * scale);
        }
    }
}

/// <summary>Mean and standard deviation of a row, with a floor so a constant row does not divide by zero.</summary>
public static class Standardizer
{
    public static (double Mean, double Sd) MeanAndSd(ReadOnlySpan<float> row)
    {
        double sum = 0, sumSq = 0;
        foreach (var x in row) { sum += x; sumSq += (double)x * x; }
        var mean = sum / row.Length;
        var variance = Math.Max(0, sumSq / row.Length - mean * mean);
        return (mean, Math.Max(Math.Sqrt(variance), 1e-6));
    }
}

/// <summary>
/// Hedge (Freund and Schapire, 1997) over agents, with a uniform floor so no agent starves:
/// w_a = (1−γ)·exp(−η·L_a)/Σ exp(−η·L_b) + γ/A, where L_a is agent a's cumulative loss (1 − credited
/// reward per round, in [0, 1]). With no learning rate given, η = √(8·ln A / T), the rate that
/// bounds Hedge's regret by √(T·ln A / 2) over T rounds.
/// </summary>
public sealed class HedgeWeighting
{
    private readonly double[] _cumulativeLoss;
    private readonly double[] _weights;

    public double LearningRate { get; }
    public double Floor { get; }

    public HedgeWeighting(int agents, double floor, double? learningRate, int horizon)
    {
        if (agents < 1) throw new ArgumentOutOfRangeException(nameof(agents));
        _cumulativeLoss = new double[agents];
        _weights = new double[agents];
        Floor = floor;
        LearningRate = learningRate ?? DefaultLearningRate(agents, horizon);
        Recompute();
    }

    /// <summary>η = √(8 ln A / T); with one agent there is nothing to learn.</summary>
    public static double DefaultLearningRate(int agents, int horizon) => agents < 2 ? 0 : Math.Sqrt(8 * Math.Log(agents) / Math.Max(1, horizon));

    public ReadOnlySpan<double> Weights => _weights;

    /// <summary>Adds one round of losses (each in [0, 1]) and recomputes the weights.</summary>
    public void Update(ReadOnlySpan<double> losses)
    {
        for (var a = 0; a < _cumulativeLoss.Length; a++) _cumulativeLoss[a] += losses[a];
        Recompute();
    }

    private void Recompute()
    {
        var best = double.MaxValue;
        foreach (var l in _cumulativeLoss) best = Math.Min(best, l);
        double total = 0;
        for (var a = 0; a < _weights.Length; a++) total += _weights[a] = Math.Exp(-LearningRate * (_cumulativeLoss[a] - best));
        var uniform = 1.0 / _weights.Length;
        for (var a = 0; a < _weights.Length; a++) _weights[a] = (1 - Floor) * _weights[a] / total + Floor * uniform;
    }
}
