namespace MultiAgentRec.Coordination;

/// <summary>
/// Borda count over candidate lists, weighted: an item's fused rank is the weighted mean of its ranks
/// (0 = best) in the agents' lists, r̄ = Σ_a w_a·r_a / Σ_a w_a, where an item missing from a list of N
/// takes the mean of the ranks that list left out, (N + n − 1)/2 for a catalog of n. With equal weights
/// this orders items exactly as the classic Borda count (points n − 1 − r summed over agents). The
/// combined score is the normal score of the fused rank, <see cref="NormalScores.OfRank"/>: agents in
/// agreement give each item the z-score its rank would have among n standard-normal scores, the scale
/// score averaging works on, so one temperature means the same greediness under both rules.
/// Ranks follow each list's order (agents break their own ties), so the result never depends on agent order.
/// </summary>
public sealed class BordaCountVoting : IAggregationRule
{
    public int Aggregate(IReadOnlyList<CandidateSet> proposals, int user, int catalogSize, ReadOnlySpan<double> weights, Span<int> items, Span<float> scores)
    {
        var count = CandidateUnion.Collect(proposals, user, catalogSize, items, scores);
        Span<double> rank = count <= 512 ? stackalloc double[count] : new double[count];
        rank.Clear();
        double total = 0;
        for (var a = 0; a < proposals.Count; a++)
        {
            var w = weights[a];
            total += w;
            var listed = proposals[a].ItemsOf(user);
            var missing = (listed.Length + catalogSize - 1) / 2.0;
            for (var i = 0; i < count; i++) rank[i] += w * missing;
            for (var r = 0; r < listed.Length; r++) rank[CandidateUnion.IndexOf(listed[r])] += w * (r - missing);
        }
        CandidateUnion.Release(items[..count]);
        for (var i = 0; i < count; i++) scores[i] = (float)NormalScores.OfRank(rank[i] / total, catalogSize);
        return count;
    }
}
