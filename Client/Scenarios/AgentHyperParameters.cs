using MultiAgentRec.Contracts;

namespace MultiAgentRec.Client.Scenarios;

/// <summary>One hyper-parameter an agent kind accepts: its default, its allowed range and whether it counts things.</summary>
internal sealed record HyperParameter(string Name, double Default, Bounds Bounds, bool Integer = false);

/// <summary>
/// The hyper-parameters each agent kind accepts. Kept next to the loader rather than in the agents so that a
/// typo in a scenario fails before any grain starts, and so that every spec carries its full parameter set.
/// </summary>
internal static class AgentHyperParameters
{
    private static readonly HyperParameter PriorAlpha = new("priorAlpha", 1, Bounds.Above(0));
    private static readonly HyperParameter PriorBeta = new("priorBeta", 10, Bounds.Above(0));
    private static readonly HyperParameter Alpha = new("alpha", 0.5, Bounds.AtLeast(0));
    private static readonly HyperParameter Lambda = new("lambda", 1, Bounds.Above(0));
    // A user's own interval widths differ from its segment's (profile noise), so the linear bandits rank a
    // wider pool than thompson: with 8 × candidates, 99.7 % of a user's top 20 are those of an exact
    // pass over the catalog (linucb after 12 rounds, 300 items; 87 % with 4). See LinearBanditProposer.
    private static readonly HyperParameter LinearPoolFactor = new("poolFactor", 8, Bounds.AtLeast(1), Integer: true);

    private static readonly Dictionary<string, HyperParameter[]> ByKind = new(StringComparer.Ordinal)
    {
        [Names.EpsilonGreedy] = [new("epsilon", 0.1, Bounds.UnitInterval), PriorAlpha, PriorBeta],
        // poolFactor: per segment and round, users draw for poolFactor × candidates items (see ThompsonSamplingPolicy).
        [Names.Thompson] = [PriorAlpha, PriorBeta, new("poolFactor", 4, Bounds.AtLeast(1), Integer: true)],
        [Names.Reinforce] =
        [
            new("hiddenSize", 64, Bounds.AtLeast(1), Integer: true),
            new("embeddingSize", 32, Bounds.AtLeast(1), Integer: true),
            new("learningRate", 0.01, Bounds.Above(0)),
            new("importanceCap", 10, Bounds.Above(0)),
        ],
        // Linear bandits (see LinearBanditProposer): lambda is the ridge A = λI + Σxxᵀ; poolFactor as for
        // thompson. A click in one slot is a Bernoulli reward with rate ~0.05–0.1, noise sd σ ≈ 0.25, so
        // the posterior of θ is N(θ̂, σ²A⁻¹): linear TS's varianceScale v defaults to that σ, and LinUCB's
        // alpha to 2σ, an interval of about two posterior sds.
        [Names.LinUcb] = [Alpha, Lambda, LinearPoolFactor],
        [Names.LinUcbHybrid] = [Alpha, Lambda, LinearPoolFactor],
        [Names.LinearThompson] = [new("varianceScale", 0.25, Bounds.Above(0)), Lambda, LinearPoolFactor],
    };

    /// <summary>The hyper-parameters of a kind in declaration order; empty for a kind this build does not know.</summary>
    public static IReadOnlyList<HyperParameter> For(string kind) =>
        ByKind.TryGetValue(kind, out var list) ? list : [];

    /// <summary>A fresh parameter dictionary holding every default of a kind.</summary>
    public static Dictionary<string, double> Defaults(string kind) =>
        For(kind).ToDictionary(p => p.Name, p => p.Default, StringComparer.Ordinal);
}
