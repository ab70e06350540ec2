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
    public static void PanelProduct(ReadOnlySpan<float> panel, int rows, int width, ReadOnlySpan<float> coefficients, Span<float> output) =>
        PanelProduct(panel, rows, width, coefficients[..rows], output, 1);

    /// <summary>
    /// The same for <paramref name="count"/> coefficient vectors at once (row-major, count × rows) into
    /// count outputs of equal length (row-major): each block of the panel is read once for all of
    /// them, so a catalog too big for the cache is streamed once per batch, not once per user. Each
    /// output is bitwise what the single product gives.
    /// </summary>
    public static void PanelProduct(ReadOnlySpan<float> panel, int rows, int width, ReadOnlySpan<float> coefficients, Span<float> outputs, int count)
    {
        var length = outputs.Length / count;
        var blocks = length / width;
        if (width > 1 && width == Vector<float>.Count)
        {
            var vectors = MemoryMarshal.Cast<float, Vector<float>>(panel);
            var results = MemoryMarshal.Cast<float, Vector<float>>(outputs);
            var n = count * rows;
            Span<Vector<float>> broadcast = n <= 1024 ? stackalloc Vector<float>[n] : new Vector<float>[n];
            for (var i = 0; i < n; i++) broadcast[i] = new Vector<float>(coefficients[i]);
            for (var b = 0; b < blocks; b++)
            {
                var block = vectors.Slice(b * rows, rows);
                for (var u = 0; u < count; u++)
                {
                    var c = broadcast.Slice(u * rows, rows);
                    var acc = c[0] * block[0];
                    for (var r = 1; r < rows; r++) acc += c[r] * block[r];
                    results[u * blocks + b] = acc;
                }
            }
            return;
        }
        for (var u = 0; u < count; u++)
            for (var b = 0; b < blocks; b++)
                for (var lane = 0; lane < width; lane++)
                {
                    var acc = coefficients[u * rows] * panel[b * rows * width + lane];
                    for (var r = 1; r < rows; r++) acc += coefficients[u * rows + r] * panel[(b * rows + r) * width + lane];
                    outputs[u * length + b * width + lane] = acc;
                }
    }
}
