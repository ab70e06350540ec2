using System.Numerics;
using System.Runtime.InteropServices;

namespace MultiAgentRec.Simulation;

/// <summary>
/// The few vector kernels the hot paths need. Results depend only on the inputs (a fixed loop order
/// and vector width per machine), never on threads, so runs stay reproducible.
/// </summary>
public static class VectorMath
{
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

    /// <summary>
    /// output = panel · coefficients, for a panel of blocks of <paramref name="width"/> items with
    /// <paramref name="rows"/> vectors each (row r of block b holds feature r of its items): per block
    /// a vector accumulator adds coefficient r × row r in row order and is stored once.
    /// </summary>
    public static void PanelProduct(ReadOnlySpan<float> panel, int rows, int width, ReadOnlySpan<float> coefficients, Span<float> output)
    {
        var blocks = output.Length / width;
        if (width > 1 && width == Vector<float>.Count)
        {
            var vectors = MemoryMarshal.Cast<float, Vector<float>>(panel);
            var outputs = MemoryMarshal.Cast<float, Vector<float>>(output);
            Span<Vector<float>> broadcast = rows <= 256 ? stackalloc Vector<float>[rows] : new Vector<float>[rows];
            for (var r = 0; r < rows; r++) broadcast[r] = new Vector<float>(coefficients[r]);
            for (var b = 0; b < blocks; b++)
            {
                var block = vectors.Slice(b * rows, rows);
                var acc = broadcast[0] * block[0];
                for (var r = 1; r < rows; r++) acc += broadcast[r] * block[r];
                outputs[b] = acc;
            }
            return;
        }
        for (var b = 0; b < blocks; b++)
            for (var lane = 0; lane < width; lane++)
            {
                var acc = coefficients[0] * panel[b * rows * width + lane];
                for (var r = 1; r < rows; r++) acc += coefficients[r] * panel[(b * rows + r) * width + lane];
                output[b * width + lane] = acc;
            }
    }
}
