namespace MultiAgentRec.Simulation;

/// <summary>Top-k selection of indices by value, best first.</summary>
public static class TopK
{
    /// <summary>Fills <paramref name="result"/> with the indices of the largest values; ties go to the lower index.</summary>
    public static void Select(ReadOnlySpan<float> values, Span<int> result)
    {
        var k = result.Length;
        var count = 0;
        // Insertion into a small sorted buffer: k is a slate or candidate count, n is the catalog.
        for (var i = 0; i < values.Length; i++)
        {
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
