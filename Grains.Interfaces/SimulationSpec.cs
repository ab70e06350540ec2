namespace MultiAgentRec.Contracts;

// The validated scenario, as every grain of a run sees it. Built by the client from YAML
// (Client/Scenarios) and registered once per run with IRunGrain; grains rebuild the catalog and the
// user population from it deterministically, so neither ever travels in a message.
// Ids are stable wire contract: append new fields with new ids, never renumber.

/// <summary>A whole scenario: world, agents, coordination, training and the comparison arms.</summary>
[GenerateSerializer, Immutable, Alias("mar.v1.SimulationSpec")]
public sealed record SimulationSpec(
    [property: Id(0)] string Name,
    [property: Id(1)] int Seed,
    [property: Id(2)] CatalogSpec Catalog,
    [property: Id(3)] UserSpec Users,
    [property: Id(4)] ChoiceSpec Choice,
    [property: Id(5)] AgentSpec[] Agents,
    [property: Id(6)] CoordinatorSpec Coordinator,
    [property: Id(7)] int SlateSize,
    [property: Id(8)] int Rounds,
    [property: Id(9)] TrainerSpec Trainer,
    [property: Id(10)] string[] Arms,
    [property: Id(11)] ScenarioEvent[]? Events = null)
{
    /// <summary>The scenario's timed events in file order (none when it has no <c>events:</c>).</summary>
    public ScenarioEvent[] EventList => Events ?? [];

    /// <summary>How many candidates each agent proposes per user: <c>coordinator.candidates</c>, or 4 × the slate size.</summary>
    public int CandidatesPerAgent => Coordinator.Candidates > 0 ? Coordinator.Candidates : CoordinatorSpec.DefaultCandidateFactor * SlateSize;

    /// <summary>Number of shards an arm's users at round 0 are split into (cold-start cohorts get shards of their own after these).</summary>
    public int ShardCount => (int)(((long)Users.Count + Users.ShardSize - 1) / Users.ShardSize);
}

/// <summary>How the item catalog is generated.</summary>
[GenerateSerializer, Immutable, Alias("mar.v1.CatalogSpec")]
public sealed record CatalogSpec(
    [property: Id(0)] int Items,
    [property: Id(1)] int Topics,
    [property: Id(2)] int EmbeddingDim,
    [property: Id(3)] double TopicConcentration,
    [property: Id(4)] double QualityStd);

/// <summary>How the user population is generated.</summary>
[GenerateSerializer, Immutable, Alias("mar.v1.UserSpec")]
public sealed record UserSpec(
    [property: Id(0)] int Count,
    [property: Id(1)] int Segments,
    [property: Id(2)] double InterestSpread,
    [property: Id(3)] double ProfileNoise,
    [property: Id(4)] double SessionBudgetMin,
    [property: Id(5)] double SessionBudgetMax,
    [property: Id(6)] int ShardSize = UserSpec.DefaultShardSize,
    [property: Id(7)] double[]? SegmentSpread = null,
    [property: Id(8)] double[]? SegmentProfileNoise = null)
{
    /// <summary>
    /// The interest spread of a segment's users: <c>users.segmentSpread[segment]</c> when the scenario
    /// gives one per segment (so that segments can differ in how alike their users are), else <c>InterestSpread</c>.
    /// </summary>
    public double SpreadOf(int segment) => SegmentSpread is { } spreads ? spreads[segment] : InterestSpread;

    /// <summary>
    /// The profile noise of a segment's users: <c>users.segmentProfileNoise[segment]</c> when the scenario
    /// gives one per segment (so that the observable profile says much in some segments and little in others), else <c>ProfileNoise</c>.
    /// </summary>
    public double ProfileNoiseOf(int segment) => SegmentProfileNoise is { } noises ? noises[segment] : ProfileNoise;

    /// <summary>
    /// Users per shard unless the scenario says otherwise: big enough that a shard's round amortises
    /// its few grain calls, small enough that a 20,000-user arm keeps every core of a machine busy.
    /// </summary>
    public const int DefaultShardSize = 1000;
}

/// <summary>Parameters of the users' choice model and of how their state evolves.</summary>
[GenerateSerializer, Immutable, Alias("mar.v1.ChoiceSpec")]
public sealed record ChoiceSpec(
    [property: Id(0)] double UtilityScale,
    [property: Id(1)] double NoClickUtility,
    [property: Id(2)] double PositionDecay,
    [property: Id(3)] double InterestDrift,
    [property: Id(4)] double BoredomWeight,
    [property: Id(5)] double BoredomDecay,
    [property: Id(6)] double EngagementNoise);

/// <summary>
/// One agent: its id, its kind, its hyper-parameters (names checked by the scenario loader) and, for a
/// policy-gradient agent, the saved network it starts from instead of a fresh one (null: none).
/// </summary>
[GenerateSerializer, Immutable, Alias("mar.v1.AgentSpec")]
public sealed record AgentSpec(
    [property: Id(0)] string Id,
    [property: Id(1)] string Kind,
    [property: Id(2)] Dictionary<string, double> Parameters,
    [property: Id(3)] string? WarmStart = null)
{
    /// <summary>A hyper-parameter, or its default when the scenario leaves it out.</summary>
    public double Get(string name, double fallback) => Parameters.TryGetValue(name, out var v) ? v : fallback;
}

/// <summary>How the coordinator combines proposals into the slate shown.</summary>
[GenerateSerializer, Immutable, Alias("mar.v1.CoordinatorSpec")]
public sealed record CoordinatorSpec(
    [property: Id(0)] string Aggregation,
    [property: Id(1)] double Temperature,
    [property: Id(2)] double? HedgeLearningRate,
    [property: Id(3)] double HedgeFloor,
    [property: Id(4)] int Candidates = 0,
    [property: Id(5)] string Weights = Names.GlobalWeights,
    [property: Id(6)] double WeightDiscount = 1,
    [property: Id(7)] double CreditClip = CoordinatorSpec.DefaultCreditClip)
{
    /// <summary>Candidates per agent = this × slate size when <c>Candidates</c> is 0 (not set).</summary>
    public const int DefaultCandidateFactor = 4;

    /// <summary>Largest importance ratio a credit estimate uses (see SoloPolicyCredit): bounds its variance.</summary>
    public const double DefaultCreditClip = 10;

    /// <summary>Rows of weights the coordinator keeps: one per user segment, or one for everyone.</summary>
    public int WeightRows(int segments) => Weights == Names.SegmentWeights ? segments : 1;
}

/// <summary>
/// Where and how often the trainer runs policy-gradient updates; optionally a folder holding a CUDA
/// libtorch to load (<see cref="Libtorch"/>), and a folder the trainer checkpoints every learner to after
/// each update, which a run with <see cref="Resume"/> starts its learners and agents from. With
/// <see cref="Overlap"/> the trainer's update of a training point runs while the next rounds play, and
/// its snapshots reach the agents at the next training point: proposals are exactly one training point
/// staler than in the round-synchronous default.
/// </summary>
[GenerateSerializer, Immutable, Alias("mar.v1.TrainerSpec")]
public sealed record TrainerSpec(
    [property: Id(0)] string Device,
    [property: Id(1)] int EveryRounds,
    [property: Id(2)] int Epochs,
    [property: Id(3)] int MinibatchSize,
    [property: Id(4)] int Threads,
    [property: Id(5)] string? Libtorch = null,
    [property: Id(6)] string? Checkpoint = null,
    [property: Id(7)] bool Resume = false,
    [property: Id(8)] bool Overlap = false);

/// <summary>The names the contracts share between the client, the grains and the reports.</summary>
public static class Names
{
    public const string Ensemble = "ensemble";
    public const string Random = "random";
    public const string Oracle = "oracle";
    public const string SoloPrefix = "solo:";
    /// <summary>The best fixed slate per segment from ground truth (see PopularityOracle in Grains).</summary>
    public const string PopularityOracle = "popularity-oracle";

    public const string EpsilonGreedy = "epsilon-greedy";
    public const string Thompson = "thompson";
    public const string Reinforce = "reinforce";
    public const string Ucb1 = "ucb1";
    public const string KlUcb = "kl-ucb";
    public const string Dqn = "dqn";
    public const string SlateQ = "slateq";
    public const string LinUcb = "linucb";
    public const string LinUcbHybrid = "linucb-hybrid";
    public const string LinearThompson = "linear-thompson";

    public const string Borda = "borda";
    public const string Hedge = "hedge";
    public const string Weighted = "weighted";
    public const string Majority = "majority";
    public const string ReciprocalRankFusion = "rrf";
    public const string Pick = "pick";

    public const string GlobalWeights = "global";
    public const string SegmentWeights = "segment";
    public const string UniformWeights = "uniform";

    /// <summary>Agent kinds this build implements.</summary>
    public static readonly string[] AgentKinds = [EpsilonGreedy, Thompson, Reinforce, Ucb1, KlUcb, LinUcb, LinUcbHybrid, LinearThompson, Dqn, SlateQ];

    /// <summary>Aggregation rules this build implements.</summary>
    public static readonly string[] Aggregations = [Weighted, Hedge, Borda, Majority, ReciprocalRankFusion, Pick];

    /// <summary>How the coordinator keeps agent weights: learned for everyone, learned per user segment, or fixed equal.</summary>
    public static readonly string[] WeightModes = [GlobalWeights, SegmentWeights, UniformWeights];

    /// <summary>Rules that vote with ranks (their weights default to uniform, as a vote's do).</summary>
    public static bool IsVoting(string aggregation) => aggregation is Borda or Majority or ReciprocalRankFusion;

    /// <summary>Agent kinds whose policies the trainer grain updates.</summary>
    public static bool IsPolicyGradient(string kind) => kind == Reinforce;

    /// <summary>Value-based agent kinds (item-wise Q-learning), trained by the trainer grain from replayed transitions.</summary>
    public static bool IsValueBased(string kind) => kind is Dqn or SlateQ;

    /// <summary>Agent kinds whose experience goes to the trainer grain and whose parameters it pushes back.</summary>
    public static bool IsTrainedByTrainer(string kind) => IsPolicyGradient(kind) || IsValueBased(kind);

    /// <summary>Contextual (linear) bandit kinds: they learn from every impression's user features, item and click.</summary>
    public static bool IsContextual(string kind) => kind is LinUcb or LinUcbHybrid or LinearThompson;
}
