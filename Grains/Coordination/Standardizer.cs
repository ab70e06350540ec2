namespace MultiAgentRec.Coordination;

/// <summary>Mean and standard deviation of a row, with a floor so a constant row does not divide by zero.</summary>
public static class Standardizer
{
    /// <summary>The smallest standard deviation used to standardise: a constant row has every z-score 0.</summary>
    public const float MinSd = 1e-6f;

    public static (double Mean, double Sd) MeanAndSd(ReadOnlySpan<float> row)
    {
        double sum = 0, sumSq = 0;
        foreach (var x in row) { sum += x; sumSq += (double)x * x; }
        var mean = sum / row.Length;
        var variance = Math.Max(0, sumSq / row.Length - mean * mean);
        return (mean, Math.Max(Math.Sqrt(variance), MinSd));
    }
}
