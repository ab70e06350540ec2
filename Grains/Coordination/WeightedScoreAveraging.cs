namespace MultiAgentRec.Coordination;

/// <summary>
/// Weighted averaging of standardised scores: each agent's score for an item becomes a z-score
/// against the agent's whole-catalog mean and spread (so a click-rate estimate and a logit are
/// comparable), then the z-scores are averaged with the coordinator's weights (which sum to 1).
/// An item missing from an agent's list counts as min(0, z of the agent's last listed item):
/// the agent has no preference for it, and never prefers it to an item it listed.
/// </summary>
public sealed class WeightedScoreAveraging : IAggregationRule
{
    public int Aggregate(IReadOnlyList<CandidateSet> proposals, int user, int catalogSize, ReadOnlySpan<double> weights, Span<int> items, Span<float> scores)
    {
        var count = CandidateUnion.Collect(proposals, user, catalogSize, items, scores);
        for (var a = 0; a < proposals.Count; a++)
        {
            var p = proposals[a];
            var listed = p.ItemsOf(user);
            var listedScores = p.ScoresOf(user);
            double mean = p.RowMean[user], inv = 1.0 / p.RowSd[user], w = weights[a];
            var missing = listed.Length == 0 ? 0 : Math.Min(0, (listedScores[^1] - mean) * inv);
            // Every union item starts at the missing value; listed items replace it with their own z.
            var baseline = (float)(w * missing);
            for (var i = 0; i < count; i++) scores[i] += baseline;
            for (var j = 0; j < listed.Length; j++)
                scores[CandidateUnion.IndexOf(listed[j])] += (float)(w * ((listedScores[j] - mean) * inv - missing));
        }
        CandidateUnion.Release(items[..count]);
        return count;
    }
}
