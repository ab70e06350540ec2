namespace MultiAgentRec.Coordination;

/// <summary>
/// Builds the union of several candidate lists in ascending item order and accumulates a score per
/// item of it. The scratch is per thread and catalog-sized, but only the union's entries are touched.
/// </summary>
internal static class CandidateUnion
{
    [ThreadStatic] private static int[]? t_slot;

    /// <summary>Collects the union into <paramref name="items"/> (ascending) and returns its size; <paramref name="scores"/> is zeroed.</summary>
    public static int Collect(IReadOnlyList<CandidateSet> proposals, int user, int catalogSize, Span<int> items, Span<float> scores)
    {
        var count = 0;
        var slot = Slots(catalogSize);
        foreach (var p in proposals)
            foreach (var item in p.ItemsOf(user))
                if (slot[item] == 0) { slot[item] = 1; items[count++] = item; }
        var union = items[..count];
        union.Sort();
        // Slot i + 1 marks where item sits in the union; cleared again by Release.
        for (var i = 0; i < count; i++) slot[union[i]] = i + 1;
        scores[..count].Clear();
        return count;
    }

    /// <summary>Position of <paramref name="item"/> in the union just collected.</summary>
    public static int IndexOf(int item) => t_slot![item] - 1;

    /// <summary>Clears the marks of the union, leaving the scratch all zero for the next user.</summary>
    public static void Release(ReadOnlySpan<int> union)
    {
        var slot = t_slot!;
        foreach (var item in union) slot[item] = 0;
    }

    private static int[] Slots(int catalogSize) =>
        t_slot is { Length: var n } s && n >= catalogSize ? s : t_slot = new int[catalogSize];
}
