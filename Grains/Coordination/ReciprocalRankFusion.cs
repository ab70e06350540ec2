namespace MultiAgentRec.Coordination;

/// <summary>
/// Reciprocal-rank fusion (Cormack, Clarke and Büttcher, 2009), weighted: s(i) = Σ_a w_a/(κ + r_a(i) + 1)
/// over the lists that hold i (r = 0 best, κ = 60 as in the paper; weights normalised to sum 1). The
/// fused rank r* = 1/s − κ − 1 is the rank a single list would need to give that fused score, and the
/// combined score is its normal score (<see cref="NormalScores.OfRank"/>): unanimous agents give an
/// item the z-score of its rank, the scale every rule shares, so the temperature keeps its meaning.
/// </summary>
public sealed class ReciprocalRankFusion : IAggregationRule
{
    /// <summary>The rank offset κ: damps the weight of the very top ranks so that agreement lower down still counts.</summary>
    public const double Offset = 60;

    public int Aggregate(IReadOnlyList<CandidateSet> proposals, int user, int catalogSize, ReadOnlySpan<double> weights, Span<int> items, Span<float> scores)
    {
        var count = CandidateUnion.Collect(proposals, user, catalogSize, items, scores);
        Span<double> fused = count <= 512 ? stackalloc double[count] : new double[count];
        fused.Clear();
        double total = 0;
        foreach (var w in weights[..proposals.Count]) total += w;
        for (var a = 0; a < proposals.Count; a++)
        {
            var listed = proposals[a].ItemsOf(user);
            var w = weights[a] / total;
            for (var r = 0; r < listed.Length; r++) fused[CandidateUnion.IndexOf(listed[r])] += w / (Offset + r + 1);
        }
        CandidateUnion.Release(items[..count]);
        for (var i = 0; i < count; i++)
        {
            // An item listed only by agents of weight 0 has s = 0: the bottom rank.
            var rank = fused[i] > 0 ? 1 / fused[i] - Offset - 1 : catalogSize - 1;
            scores[i] = (float)NormalScores.OfRank(rank, catalogSize);
        }
        return count;
    }
}
