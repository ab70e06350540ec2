using MultiAgentRec.Simulation;

namespace MultiAgentRec.Evaluation;

/// <summary>
/// Percentile bootstrap confidence intervals (Efron and Tibshirani, 1993): resample the rows with
/// replacement B times from a fixed seed, recompute each statistic, take the α/2 and 1 − α/2 quantiles.
/// All statistics share the same resamples, so their intervals are comparable.
/// </summary>
public static class PercentileBootstrap
{
    public static (double Low, double High)[] Intervals(int rows, int resamples, int seed, double confidence, IReadOnlyList<Func<int[], double>> statistics)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(resamples, 1);
        if (!(confidence is > 0 and < 1)) throw new ArgumentOutOfRangeException(nameof(confidence));
        var values = statistics.Select(_ => new double[resamples]).ToArray();
        var sample = new int[rows];
        var rng = SimRandom.For(seed, SimRandom.Key("bootstrap"));
        for (var b = 0; b < resamples; b++)
        {
            for (var i = 0; i < rows; i++) sample[i] = rng.NextInt(rows);
            for (var s = 0; s < statistics.Count; s++) values[s][b] = statistics[s](sample);
        }
        var alpha = 1 - confidence;
        return values.Select(v =>
        {
            Array.Sort(v);
            return (Quantile(v, alpha / 2), Quantile(v, 1 - alpha / 2));
        }).ToArray();
    }

    /// <summary>Linear interpolation between order statistics (numpy's default), on sorted values.</summary>
    public static double Quantile(double[] sorted, double q)
    {
        var h = (sorted.Length - 1) * q;
        var lo = (int)Math.Floor(h);
        var hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }
}
