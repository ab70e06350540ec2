using MultiAgentRec.Contracts;

namespace MultiAgentRec.Client.Scenarios;

/// <summary>
/// One hyper-parameter an agent kind accepts: its default, its allowed range, whether it counts things,
/// and whether it is an on/off switch (written true/false or 1/0, stored as 1/0).
/// </summary>
internal sealed record HyperParameter(string Name, double Default, Bounds Bounds, bool Integer = false, bool Switch = false);

/// <summary>
/// The hyper-parameters each agent kind accepts. Kept next to the loader rather than in the agents so that a
/// typo in a scenario fails before any grain starts, and so that every spec carries its full parameter set.
/// </summary>
internal static class AgentHyperParameters
{
    private static readonly HyperParameter PriorAlpha = new("priorAlpha", 1, Bounds.Above(0));
    private static readonly HyperParameter PriorBeta = new("priorBeta", 10, Bounds.Above(0));
    // positionBias: count an impression in slot k as θ_k/θ_0 impressions, θ fitted by a position-based model (see BanditPolicy).
    private static readonly HyperParameter PositionBias = new("positionBias", 1, Bounds.UnitInterval, Integer: true, Switch: true);
    // positionSweeps: EM sweeps of the position-based model per round (warm-started).
    private static readonly HyperParameter PositionSweeps = new("positionSweeps", 5, Bounds.AtLeast(1), Integer: true);
    // batchAllocation: plan each round of an index policy as virtual pulls spread over the segment's users (see IndexPolicy); 0: one list per segment.
    private static readonly HyperParameter BatchAllocation = new("batchAllocation", 1, Bounds.UnitInterval, Integer: true, Switch: true);

    /// <summary>
    /// DQN's and SlateQ's (see ValueLearner and ValueScorer for what each does). They differ only in
    /// their step defaults: SlateQ's choice model learns from a softmax over the slate and no click,
    /// whose gradients are smaller than DQN's per-item regression, and takes larger and more steps
    /// (measured on the learning test's scenario: DQN's values diverged at SlateQ's settings).
    /// </summary>
    private static HyperParameter[] ValueBased(double learningRate, int stepsPerUpdate) =>
    [
        new("hiddenSize", 32, Bounds.AtLeast(1), Integer: true),
        new("embeddingSize", 16, Bounds.AtLeast(1), Integer: true),
        new("learningRate", learningRate, Bounds.Above(0)),
        // Discount of the continuing task; below 1 so that values stay finite.
        new("gamma", 0.5, new Bounds(0, true, 1, false)),
        // Slate transitions kept for replay, how many are drawn per gradient step, and steps per trainer update.
        new("replayCapacity", 50_000, Bounds.AtLeast(1), Integer: true),
        new("batchSize", 256, Bounds.AtLeast(1), Integer: true),
        new("stepsPerUpdate", stepsPerUpdate, Bounds.AtLeast(1), Integer: true),
        // Target network: θ' ← τθ + (1 − τ)θ' every targetPeriod steps (τ = 1: a periodic copy).
        new("targetTau", 0.05, new Bounds(0, false, 1, true)),
        new("targetPeriod", 1, Bounds.AtLeast(1), Integer: true),
        new("gradientClip", 10, Bounds.Above(0)),
        new("huberDelta", 1, Bounds.Above(0)),
        // Per user and round, the chance of proposing uniformly drawn items instead of the best.
        new("epsilon", 0.05, Bounds.UnitInterval),
    ];

    private static readonly HyperParameter Alpha = new("alpha", 0.5, Bounds.AtLeast(0));
    private static readonly HyperParameter Lambda = new("lambda", 1, Bounds.Above(0));
    // A user's own interval widths differ from its segment's (profile noise), so the linear bandits rank a
    // wider pool than thompson: with 8 × candidates, 99.7 % of a user's top 20 are those of an exact
    // pass over the catalog (linucb after 12 rounds, 300 items; 87 % with 4). See LinearBanditProposer.
    private static readonly HyperParameter LinearPoolFactor = new("poolFactor", 8, Bounds.AtLeast(1), Integer: true);

    private static readonly Dictionary<string, HyperParameter[]> ByKind = new(StringComparer.Ordinal)
    {
        // ε_t = max(epsilonMin, epsilon / (1 + epsilonDecay·t)); decay 0 keeps ε constant (see EpsilonSchedule).
        [Names.EpsilonGreedy] =
        [
            new("epsilon", 0.1, Bounds.UnitInterval), PriorAlpha, PriorBeta,
            new("epsilonDecay", 0, Bounds.AtLeast(0)), new("epsilonMin", 0, Bounds.UnitInterval), PositionBias, PositionSweeps,
        ],
        // poolFactor: per segment and round, users draw for poolFactor × candidates items (see ThompsonSamplingPolicy).
        [Names.Thompson] = [PriorAlpha, PriorBeta, new("poolFactor", 4, Bounds.AtLeast(1), Integer: true), PositionBias, PositionSweeps],
        [Names.Reinforce] =
        [
            new("hiddenSize", 64, Bounds.AtLeast(1), Integer: true),
            new("embeddingSize", 32, Bounds.AtLeast(1), Integer: true),
            new("learningRate", 0.01, Bounds.Above(0)),
            // Largest per-slot importance ratio before self-normalisation (see ReinforceLearnerGroup.DefaultImportanceCap).
            new("importanceCap", Training.ReinforceLearnerGroup.DefaultImportanceCap, Bounds.Above(0)),
            // Weight of the policy's entropy in the loss (PlackettLuceReinforceLoss); 0 turns the bonus off.
            new("entropyWeight", Training.ReinforceLearnerGroup.DefaultEntropyWeight, Bounds.AtLeast(0)),
            // 1 multiplies each slot's term by Chen et al.'s top-K factor K(1 − π)^(K−1); 0 leaves it out.
            new("topKCorrection", 1, Bounds.UnitInterval, Integer: true),
            // Catalog items an update scores per minibatch step besides each row's slate (a sampled
            // softmax, see SampledSoftmax); 0 (the default), or a catalog of at most this many items, trains on the exact softmax.
            new("sampledItems", Training.ReinforceLearnerGroup.DefaultSampledItems, Bounds.AtLeast(0), Integer: true),
        ],
        // explorationScale c: index = mean + c·√(2 ln t / n); 1 is the bound for rewards in [0, 1] (see Ucb1Policy).
        // tuned: UCB1-Tuned, the bonus scaled by the item's empirical click variance (see UpperConfidenceIndex.Ucb1Tuned).
        [Names.Ucb1] = [new("explorationScale", 1, Bounds.AtLeast(0)), new("tuned", 0, Bounds.UnitInterval, Integer: true, Switch: true), PositionBias, PositionSweeps, BatchAllocation],
        // c: the ln ln t term of the KL-UCB bound; 0 as advised in practice, 3 in the regret proof (see KlUcbPolicy).
        [Names.KlUcb] = [new("c", 0, Bounds.AtLeast(0)), PositionBias, PositionSweeps, BatchAllocation],
        [Names.Dqn] = ValueBased(learningRate: 0.003, stepsPerUpdate: 16),
        [Names.SlateQ] = ValueBased(learningRate: 0.01, stepsPerUpdate: 48),
        // Linear bandits (see LinearBanditProposer): lambda is the ridge A = λI + Σxxᵀ; poolFactor as for
        // thompson. A click in one slot is a Bernoulli reward with rate ~0.05–0.1, noise sd σ ≈ 0.25, so
        // the posterior of θ is N(θ̂, σ²A⁻¹): linear TS's varianceScale v defaults to that σ, and LinUCB's
        // alpha to 2σ, an interval of about two posterior sds.
        [Names.LinUcb] = [Alpha, Lambda, LinearPoolFactor, PositionBias, PositionSweeps],
        [Names.LinUcbHybrid] = [Alpha, Lambda, LinearPoolFactor, PositionBias, PositionSweeps],
        [Names.LinearThompson] = [new("varianceScale", 0.25, Bounds.Above(0)), Lambda, LinearPoolFactor, PositionBias, PositionSweeps],
    };

    /// <summary>The hyper-parameters of a kind in declaration order; empty for a kind this build does not know.</summary>
    public static IReadOnlyList<HyperParameter> For(string kind) =>
        ByKind.TryGetValue(kind, out var list) ? list : [];

    /// <summary>A fresh parameter dictionary holding every default of a kind.</summary>
    public static Dictionary<string, double> Defaults(string kind) =>
        For(kind).ToDictionary(p => p.Name, p => p.Default, StringComparer.Ordinal);
}
