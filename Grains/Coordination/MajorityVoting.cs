namespace MultiAgentRec.Coordination;

/// <summary>
/// Majority (approval) voting: each agent approves the first k items of its list (k the slate size),
/// and an item's vote share is the weight of the agents approving it, v(i) = Σ_a w_a·[r_a(i) &lt; k] / Σ w.
/// Votes carry no order inside the approved set, so items with equal shares tie and the slate sampler
/// breaks the tie at random. On the shared scale the share becomes a fused rank between the mean rank
/// of a unanimous top-k item, (k − 1)/2, and the mean rank of the rest of the catalog, (n − 1 + k)/2:
/// r* = v·(k − 1)/2 + (1 − v)·(n − 1 + k)/2, and the score is its normal score (<see cref="NormalScores.OfRank"/>).
/// </summary>
public sealed class MajorityVoting(int slateSize) : IAggregationRule
{
    public int Aggregate(IReadOnlyList<CandidateSet> proposals, int user, int catalogSize, ReadOnlySpan<double> weights, Span<int> items, Span<float> scores)
    {
        var count = CandidateUnion.Collect(proposals, user, catalogSize, items, scores);
        Span<double> share = count <= 512 ? stackalloc double[count] : new double[count];
        share.Clear();
        double total = 0;
        for (var a = 0; a < proposals.Count; a++)
        {
            total += weights[a];
            var listed = proposals[a].ItemsOf(user);
            for (var r = 0; r < Math.Min(slateSize, listed.Length); r++) share[CandidateUnion.IndexOf(listed[r])] += weights[a];
        }
        CandidateUnion.Release(items[..count]);
        double top = (slateSize - 1) / 2.0, rest = (catalogSize - 1 + slateSize) / 2.0;
        for (var i = 0; i < count; i++)
        {
            var v = share[i] / total;
            scores[i] = (float)NormalScores.OfRank(v * top + (1 - v) * rest, catalogSize);
        }
        return count;
    }
}
