using System.Numerics;
using System.Runtime.CompilerServices;
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

    /// <summary>One user's output block: the untiled product, for users and blocks left over by the tiles.</summary>
    private static void OneUser(ref Vector<float> coefficientStart, ref Vector<float> panelStart, int rows, int blocks, int u, int b, Span<Vector<float>> results)
    {
        ref var c = ref Unsafe.Add(ref coefficientStart, u * rows);
        ref var block = ref Unsafe.Add(ref panelStart, b * rows);
        var acc = c * block;
        for (var r = 1; r < rows; r++) acc += Unsafe.Add(ref c, r) * Unsafe.Add(ref block, r);
        results[u * blocks + b] = acc;
    }

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
        if ((long)blocks * rows * width > panel.Length || (long)count * rows > coefficients.Length || rows < 1)
            throw new ArgumentException($"a panel of {panel.Length} floats and {coefficients.Length} coefficients cannot give {count} outputs of {blocks} blocks × {rows} rows");
        if (width > 1 && width == Vector<float>.Count)
        {
            var vectors = MemoryMarshal.Cast<float, Vector<float>>(panel);
            var results = MemoryMarshal.Cast<float, Vector<float>>(outputs);
            var n = count * rows;
            Span<Vector<float>> broadcast = n <= 1024 ? stackalloc Vector<float>[n] : new Vector<float>[n];
            for (var i = 0; i < n; i++) broadcast[i] = new Vector<float>(coefficients[i]);
            // Register tiling, 4 users × 2 blocks: each load of a coefficient serves two blocks and each
            // load of a panel row four users, and the eight sums are independent chains the core runs
            // side by side (one user's sum alone is a chain of dependent additions that waits on the
            // adder's latency at every row). Each sum still adds its rows in order from row 0, so
            // every output is bitwise the one-user product. Reads are unchecked: the argument check
            // above bounds every index, and bounds checks here cost as much as the arithmetic.
            var u4 = count - count % 4;
            ref var panelStart = ref MemoryMarshal.GetReference(vectors);
            ref var coefficientStart = ref MemoryMarshal.GetReference(broadcast);
            var b2 = blocks - blocks % 2;
            for (var b = 0; b < b2; b += 2)
            {
                ref var block = ref Unsafe.Add(ref panelStart, b * rows);
                ref var next = ref Unsafe.Add(ref block, rows);
                for (var u = 0; u < u4; u += 4)
                {
                    ref var c0 = ref Unsafe.Add(ref coefficientStart, u * rows);
                    ref var c1 = ref Unsafe.Add(ref c0, rows);
                    ref var c2 = ref Unsafe.Add(ref c1, rows);
                    ref var c3 = ref Unsafe.Add(ref c2, rows);
                    var row = block;
                    var row2 = next;
                    Vector<float> a0 = c0 * row, a1 = c1 * row, a2 = c2 * row, a3 = c3 * row;
                    Vector<float> d0 = c0 * row2, d1 = c1 * row2, d2 = c2 * row2, d3 = c3 * row2;
                    for (var r = 1; r < rows; r++)
                    {
                        row = Unsafe.Add(ref block, r);
                        row2 = Unsafe.Add(ref next, r);
                        var k0 = Unsafe.Add(ref c0, r);
                        var k1 = Unsafe.Add(ref c1, r);
                        var k2 = Unsafe.Add(ref c2, r);
                        var k3 = Unsafe.Add(ref c3, r);
                        a0 += k0 * row; d0 += k0 * row2;
                        a1 += k1 * row; d1 += k1 * row2;
                        a2 += k2 * row; d2 += k2 * row2;
                        a3 += k3 * row; d3 += k3 * row2;
                    }
                    results[u * blocks + b] = a0; results[u * blocks + b + 1] = d0;
                    results[(u + 1) * blocks + b] = a1; results[(u + 1) * blocks + b + 1] = d1;
                    results[(u + 2) * blocks + b] = a2; results[(u + 2) * blocks + b + 1] = d2;
                    results[(u + 3) * blocks + b] = a3; results[(u + 3) * blocks + b + 1] = d3;
                }
                for (var u = u4; u < count; u++)
                    for (var bb = b; bb < b + 2; bb++) OneUser(ref coefficientStart, ref panelStart, rows, blocks, u, bb, results);
            }
            for (var b = b2; b < blocks; b++)
                for (var u = 0; u < count; u++) OneUser(ref coefficientStart, ref panelStart, rows, blocks, u, b, results);
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
