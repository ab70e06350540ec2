namespace MultiAgentRec.Coordination;

/// <summary>
/// Fair credit: an importance-weighted estimate of the clicks an agent's OWN solo policy would have
/// earned, from the slate the coordinator showed, the click, and the logging policy.
///
/// The agent's solo policy π_a is a Plackett-Luce slate drawn from softmax(z_a/τ) over its own
/// candidates (z_a its standardised scores, τ the scenario's temperature): exactly what its solo arm
/// shows. The logging policy β is what the coordinator sampled from (the ensemble's PL over the union
/// of candidates, or the mixture of the agents' solo policies in pick mode). Under the item-level click
/// model (a shown item i is clicked with probability c(x, i) that depends on the user and the item, not
/// on the other items or its slot), a policy's expected clicks are Σ_i P_π(i ∈ S)·c(x, i), and
///   V̂_a = Σ_{i clicked} min(M, P_πa(i ∈ S) / P_β(i ∈ S))
/// has expectation over β's slates and the clicks equal to that sum, for M = ∞, whenever β can show
/// every item π_a can (it can: the union holds every agent's list, and every PL propensity is positive).
/// Inclusion probabilities are computed exactly (<see cref="PlackettLuceInclusion"/>), not estimated.
///
/// Bias: (1) the simulated users follow a multinomial logit with position bias and a no-click option,
/// so an item's click probability does depend on the rest of the slate and on its slot; the estimator
/// ignores that (an item the agent would show in slot 0 is credited as if it earned what it earned in
/// the slot and company β gave it). It is the price of avoiding slate-level ratios, whose variance grows
/// with the product of k per-slot ratios. (2) Clipping at M lowers the credit of an agent whose
/// favourites the ensemble rarely shows; the bias is at most E[(ratio − M)⁺·click].
/// Variance: the ratio is at most M (coordinator.creditClip); in pick mode it is also at most
/// 1/p_a ≤ A/floor, since β's inclusion is at least p_a times π_a's. Credit is summed over a round's
/// users before the weights see it, which divides the variance by the number of users.
/// </summary>
public sealed class SoloPolicyCredit(int slateSize, double temperature, double clip)
{
    public int SlateSize { get; } = slateSize;
    public double Temperature { get; } = temperature;
    public double Clip { get; } = clip;

    /// <summary>P(candidate <paramref name="index"/> ∈ S) under PL from softmax(<paramref name="scores"/>/τ) with this slate size.</summary>
    public double Inclusion(ReadOnlySpan<float> scores, int index, Span<double> scratch) =>
        PlackettLuceInclusion.Probability(scores, Temperature, index, SlateSize, scratch);

    /// <summary>The credit of one click: min(M, π/β); 0 when the agent's policy could not show the item.</summary>
    public double Credit(double policyInclusion, double loggingInclusion)
    {
        if (policyInclusion <= 0) return 0;
        // β ≥ a positive share of π wherever π > 0 (see the summary); a zero here is rounding, and the clip bounds it.
        return loggingInclusion <= 0 ? Clip : Math.Min(Clip, policyInclusion / loggingInclusion);
    }

    /// <summary>
    /// An agent's standardised scores over its own list, in its own order: z = (score − row mean)/row sd,
    /// exactly what a solo arm aggregates (so the credit estimates the solo arm's policy).
    /// </summary>
    public static void OwnScores(CandidateSet agent, int user, Span<float> z)
    {
        var scores = agent.ScoresOf(user);
        double mean = agent.RowMean[user], inv = 1.0 / agent.RowSd[user];
        for (var j = 0; j < scores.Length; j++) z[j] = (float)((scores[j] - mean) * inv);
    }
}
