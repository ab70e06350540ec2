using System.Numerics;
using System.Runtime.InteropServices;

namespace MultiAgentRec.Coordination;

/// <summary>Mean and standard deviation of a row, with a floor so a constant row does not divide by zero.</summary>
public static class Standardizer
{
    /// <summary>The smallest standard deviation used to standardise: a constant row has every z-score 0.</summary>
    public const float MinSd = 1e-6f;

    /// <summary>Population mean and sd, accumulated in double (vector lanes, then the tail), so a catalog-long row costs a vector pass.</summary>
    public static (double Mean, double Sd) MeanAndSd(ReadOnlySpan<float> row)
    {
        double sum = 0, sumSq = 0;
        var i = 0;
        if (Vector.IsHardwareAccelerated && row.Length >= Vector<float>.Count)
        {
            var vectors = MemoryMarshal.Cast<float, Vector<float>>(row);
            Vector<double> s = Vector<double>.Zero, q = Vector<double>.Zero;
            foreach (var v in vectors)
            {
                Vector.Widen(v, out var low, out var high);
                s += low + high;
                q += low * low + high * high;
            }
            sum = Vector.Sum(s);
            sumSq = Vector.Sum(q);
            i = vectors.Length * Vector<float>.Count;
        }
        for (; i < row.Length; i++) { sum += row[i]; sumSq += (double)row[i] * row[i]; }
        var mean = sum / row.Length;
        var variance = Math.Max(0, sumSq / row.Length - mean * mean);
        return (mean, Math.Max(Math.Sqrt(variance), MinSd));
    }
}
