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
            // Weight of the policy's entropy in the loss (PlackettLuceReinforceLoss); 0 turns the bonus off.
            new("entropyWeight", Training.ReinforceLearnerGroup.DefaultEntropyWeight, Bounds.AtLeast(0)),
            // 1 multiplies each slot's term by Chen et al.'s top-K factor K(1 − π)^(K−1); 0 leaves it out.
            new("topKCorrection", 1, Bounds.UnitInterval, Integer: true),
        ],
    };

    /// <summary>The hyper-parameters of a kind in declaration order; empty for a kind this build does not know.</summary>
    public static IReadOnlyList<HyperParameter> For(string kind) =>
        ByKind.TryGetValue(kind, out var list) ? list : [];

    /// <summary>A fresh parameter dictionary holding every default of a kind.</summary>
    public static Dictionary<string, double> Defaults(string kind) =>
        For(kind).ToDictionary(p => p.Name, p => p.Default, StringComparer.Ordinal);
}
