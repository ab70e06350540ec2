namespace MultiAgentRec.Coordination;

/// <summary>
/// Borda count over candidate lists: an agent gives the item at rank r (0 = best) n−1−r points,
/// n the catalog size; an item missing from its list gets the mean points of the ranks it did not
/// list, (n−1−N)/2 for N listed. Points add up over agents; weights are ignored. The sum is then put
/// on a z-score scale, (points − A·(n−1)/2) / (A·√((n²−1)/12)), the mean and spread of A agents'
/// points when they agree, so a solo Borda arm is as greedy as a solo score arm at the same temperature.
/// Ranks follow each list's order (agents break their own ties), so the result never depends on agent order.
/// </summary>
public sealed class BordaCountVoting : IAggregationRule
{
    public int Aggregate(IReadOnlyList<CandidateSet> proposals, int user, int catalogSize, ReadOnlySpan<double> weights, Span<int> items, Span<float> scores)
    {
        var count = CandidateUnion.Collect(proposals, user, catalogSize, items, scores);
        double n = catalogSize;
        Span<double> points = count <= 512 ? stackalloc double[count] : new double[count];
        points.Clear();
        foreach (var p in proposals)
        {
            var listed = p.ItemsOf(user);
            var missing = (n - 1 - listed.Length) / 2;
            for (var i = 0; i < count; i++) points[i] += missing;
            for (var r = 0; r < listed.Length; r++) points[CandidateUnion.IndexOf(listed[r])] += n - 1 - r - missing;
        }
        CandidateUnion.Release(items[..count]);
        var agents = proposals.Count;
        var mean = agents * (n - 1) / 2;
        var sd = agents * Math.Sqrt(Math.Max(n * n - 1, 1) / 12);
        for (var i = 0; i < count; i++) scores[i] = (float)((points[i] - mean) / sd);
        return count;
    }
}
