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

    /// <summary>
    /// Like <see cref="Select(ReadOnlySpan{float}, Span{int})"/>, but ties go to the larger
    /// <paramref name="tieBreak"/> key: with random keys, equal values are ranked at random rather
    /// than by index (a bandit's unexplored items all share one prior mean).
    /// </summary>
    public static void Select(ReadOnlySpan<float> values, ReadOnlySpan<uint> tieBreak, Span<int> result)
    {
        var k = result.Length;
        var count = 0;
        for (var i = 0; i < values.Length; i++)
        {
            var v = values[i];
            var t = tieBreak[i];
            if (count == k && !Better(v, t, values[result[k - 1]], tieBreak[result[k - 1]])) continue;
            var pos = count < k ? count++ : k - 1;
            while (pos > 0 && Better(v, t, values[result[pos - 1]], tieBreak[result[pos - 1]]))
            {
                result[pos] = result[pos - 1];
                pos--;
            }
            result[pos] = i;
        }
    }

    private static bool Better(float v, uint t, float otherV, uint otherT) => v > otherV || (v == otherV && t > otherT);
}
