namespace MultiAgentRec.Agents;

/// <summary>
/// How a deterministic index policy (UCB1, KL-UCB) spreads one batched round of a segment over its
/// items, in the spirit of hallucinated pulls for batched UCB (GP-BUCB; Desautels, Krause and Burdick,
/// JMLR 2014): the round's expected impressions are handed out one virtual pull at a time, each to the
/// item with the highest index, where the pulls already handed out count as exposure that brought no
/// click information (the item's mean stays, its exposure grows by one pull's exposure each). A pull
/// shrinks its item's confidence bonus, so an uncertain item absorbs pulls only until its index falls
/// to the next one's, as sequential UCB would have it; and an item can take at most <c>cap</c> pulls,
/// one per user of the segment. Items never shown (exposure 0) have an infinite index whatever their
/// virtual pulls; they share pulls evenly (ties go to the item with fewer pulls, then to the earlier).
/// Two simplifications keep a round's cost at O((steps + items) log items) index evaluations whatever
/// the number of users: every index uses the segment's total exposure at the round's end, t + budget ×
/// exposure per pull (so a pull changes only its own item's index: a heap suffices), and pulls are
/// handed out in chunks of ⌈budget / <see cref="MaxSteps"/>⌉ (1, one pull at a time, up to 4,096 pulls).
/// </summary>
public static class BatchIndexAllocation
{
    /// <summary>Most heap steps per allocation: above this budget, pulls go out in equal chunks.</summary>
    public const int MaxSteps = 4096;

    /// <summary>
    /// Writes into <paramref name="pulls"/> how many of <paramref name="budget"/> virtual pulls each item
    /// gets (items in priority order: equal indexes go to the earlier). <paramref name="index"/> maps
    /// (mean, exposure &gt; 0, segment total) to an item's index; every pull adds
    /// <paramref name="exposurePerPull"/> to its item's exposure; no item gets more than
    /// <paramref name="cap"/>. Returns the pulls handed out: the budget, or less when every item is at its cap.
    /// </summary>
    public static long Allocate(ReadOnlySpan<double> means, ReadOnlySpan<double> exposures, double total, long budget, long cap,
        double exposurePerPull, Func<double, double, double, double> index, Span<long> pulls)
    {
        if (means.Length != exposures.Length || pulls.Length != means.Length)
            throw new ArgumentException("means, exposures and pulls must have one entry per item");
        pulls.Clear();
        if (budget <= 0 || cap <= 0 || pulls.Length == 0) return 0;
        var chunk = (budget + MaxSteps - 1) / MaxSteps;
        var end = total + budget * exposurePerPull;
        var queue = new PriorityQueue<int, (double Index, long Pulls, int Order)>(pulls.Length, First);
        for (var i = 0; i < pulls.Length; i++)
            queue.Enqueue(i, (exposures[i] > 0 ? index(means[i], exposures[i], end) : double.PositiveInfinity, 0, i));
        var left = budget;
        while (left > 0 && queue.TryDequeue(out var item, out var key))
        {
            var give = Math.Min(chunk, Math.Min(left, cap - pulls[item]));
            pulls[item] += give;
            left -= give;
            if (pulls[item] >= cap) continue;
            var value = exposures[item] > 0 ? index(means[item], exposures[item] + pulls[item] * exposurePerPull, end) : key.Index;
            queue.Enqueue(item, (value, pulls[item], item));
        }
        return budget - left;
    }

    // The heap's first element is the highest index; then the fewest pulls; then the earliest item.
    private static readonly Comparer<(double Index, long Pulls, int Order)> First = Comparer<(double Index, long Pulls, int Order)>.Create((x, y) =>
    {
        var byIndex = y.Index.CompareTo(x.Index);
        if (byIndex != 0) return byIndex;
        var byPulls = x.Pulls.CompareTo(y.Pulls);
        return byPulls != 0 ? byPulls : x.Order.CompareTo(y.Order);
    });
}
