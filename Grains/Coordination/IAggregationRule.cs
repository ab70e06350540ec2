namespace MultiAgentRec.Coordination;

/// <summary>
/// Combines several agents' candidate lists for one user into one score per item of their union.
/// Scores come out in standardised units (a z-score scale), so that one temperature means the same
/// greediness under every rule: a solo agent's combined score is its own z-score.
/// </summary>
public interface IAggregationRule
{
    /// <summary>
    /// Writes the union of the agents' candidates for <paramref name="user"/> into <paramref name="items"/>
    /// in ascending item order (so the result never depends on agent order) and their combined scores
    /// into <paramref name="scores"/>; returns the union's size.
    /// </summary>
    int Aggregate(IReadOnlyList<CandidateSet> proposals, int user, int catalogSize, ReadOnlySpan<double> weights, Span<int> items, Span<float> scores);
}
