using System.Numerics;
using System.Runtime.InteropServices;

namespace MultiAgentRec.Simulation;

/// <summary>
/// The few vector kernels the hot paths need. Results depend only on the inputs (a fixed loop order
/// and vector width per machine), never on threads, so runs stay reproducible.
/// </summary>
public static class VectorMath
{
    /// <summary>y += a·x, element-wise.</summary>
    public static void Axpy(ReadOnlySpan<float> x, float a, Span<float> y)
    {
        if (x.Length != y.Length) throw new ArgumentException("x and y differ in length");
        var i = 0;
        if (Vector.IsHardwareAccelerated && x.Length >= Vector<float>.Count)
        {
            var va = new Vector<float>(a);
            var vx = MemoryMarshal.Cast<float, Vector<float>>(x);
            var vy = MemoryMarshal.Cast<float, Vector<float>>(y);
            for (var v = 0; v < vx.Length; v++) vy[v] += va * vx[v];
            i = vx.Length * Vector<float>.Count;
        }
        for (; i < x.Length; i++) y[i] += a * x[i];
    }

    /// <summary>Σ x·y in float, vectorised (a fixed summation order for a given vector width).</summary>
    public static float Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        if (x.Length != y.Length) throw new ArgumentException("x and y differ in length");
        var i = 0;
        float sum = 0;
        if (Vector.IsHardwareAccelerated && x.Length >= Vector<float>.Count)
        {
            var vx = MemoryMarshal.Cast<float, Vector<float>>(x);
            var vy = MemoryMarshal.Cast<float, Vector<float>>(y);
            var acc = Vector<float>.Zero;
            for (var v = 0; v < vx.Length; v++) acc += vx[v] * vy[v];
            sum = Vector.Sum(acc);
            i = vx.Length * Vector<float>.Count;
        }
        for (; i < x.Length; i++) sum += x[i] * y[i];
        return sum;
    }
}
