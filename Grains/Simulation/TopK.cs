using System.Numerics;
using System.Runtime.InteropServices;

namespace MultiAgentRec.Simulation;

/// <summary>Top-k selection of indices by value, best first.</summary>
public static class TopK
{
    /// <summary>Fills <paramref name="result"/> with the indices of the largest values; ties go to the lower index.</summary>
    public static void Select(ReadOnlySpan<float> values, Span<int> result)
    {
        var k = result.Length;
        if (k == 0) return;
        var count = 0;
        var width = Vector.IsHardwareAccelerated ? Vector<float>.Count : int.MaxValue;
        var vectors = MemoryMarshal.Cast<float, Vector<float>>(values);
        // Insertion into a small sorted buffer: k is a slate or candidate count, n is the catalog.
        // Once the buffer is full, a whole vector of values none of which beats the k-th best is
        // skipped with one comparison: most of a large catalog never gets past that test.
        for (var i = 0; i < values.Length; i++)
        {
            if (count == k && i % width == 0 && i / width < vectors.Length
                && !Vector.GreaterThanAny(vectors[i / width], new Vector<float>(values[result[k - 1]])))
            {
                i += width - 1;
                continue;
            }
            var v = values[i];
            if (count == k && !(v > values[result[k - 1]])) continue;
            var pos = count < k ? count++ : k - 1;
            while (pos > 0 && v > values[result[pos - 1]])
            {
                result[pos] = result[pos - 1];
                pos--;
            }
            result[pos] = i;
        }
    }
}
