namespace MultiAgentRec.Contracts;

// Messages are immutable and batched: one proposal or feedback message carries a whole round of
// users, so a user step costs one grain call, not one per agent (see docs/architecture.md).
// Matrices travel as flat row-major arrays.

/// <summary>What an agent may observe about a user before recommending.</summary>
[GenerateSerializer, Immutable, Alias("mar.v1.UserContext")]
public sealed record UserContext(
    [property: Id(0)] int UserIndex,
    [property: Id(1)] int Segment,
    [property: Id(2)] float[] Profile,
    [property: Id(3)] int[] RecentClicks);

/// <summary>A request to a user to take one step: look at a slate (or, in the oracle arm, at its own best slate).</summary>
[GenerateSerializer, Immutable, Alias("mar.v1.StepRequest")]
public sealed record StepRequest(
    [property: Id(0)] int Round,
    [property: Id(1)] int[]? Slate,
    [property: Id(2)] bool ServeOracle);

/// <summary>What one user step produced, with the exact quantities only the simulator knows.</summary>
[GenerateSerializer, Immutable, Alias("mar.v1.StepOutcome")]
public sealed record StepOutcome(
    [property: Id(0)] int[] Slate,
    [property: Id(1)] int ClickedPosition,
    [property: Id(2)] float Engagement,
    [property: Id(3)] double ExpectedClick,
    [property: Id(4)] double OracleExpectedClick,
    [property: Id(5)] double Ndcg,
    [property: Id(6)] bool SessionEnded,
    [property: Id(7)] UserContext Next);

/// <summary>A round's users, for which an agent proposes scores.</summary>
[GenerateSerializer, Immutable, Alias("mar.v1.ProposalRequest")]
public sealed record ProposalRequest(
    [property: Id(0)] int Round,
    [property: Id(1)] UserContext[] Users);

/// <summary>An agent's scores: one row of <c>Items</c> scores per user of the request (higher is better).</summary>
[GenerateSerializer, Immutable, Alias("mar.v1.ProposalBatch")]
public sealed record ProposalBatch(
    [property: Id(0)] int Items,
    [property: Id(1)] float[] Scores);

/// <summary>
/// The feedback of every slate shown in a round, sent to every agent of the arm: collaborating agents
/// learn from shared, off-policy experience. <c>PositionPropensities</c> holds, per slot, the
/// probability with which the coordinator put that item there given the slots before it.
/// </summary>
[GenerateSerializer, Immutable, Alias("mar.v1.FeedbackBatch")]
public sealed record FeedbackBatch(
    [property: Id(0)] int Round,
    [property: Id(1)] int SlateSize,
    [property: Id(2)] UserContext[] Users,
    [property: Id(3)] int[] Slates,
    [property: Id(4)] float[] PositionPropensities,
    [property: Id(5)] int[] ClickedPositions,
    [property: Id(6)] float[] Engagements);

/// <summary>Policy-gradient experience: per row a feature vector, the slate shown, its propensities and per-slot rewards.</summary>
[GenerateSerializer, Immutable, Alias("mar.v1.TrajectoryBatch")]
public sealed record TrajectoryBatch(
    [property: Id(0)] int Rows,
    [property: Id(1)] int FeatureDim,
    [property: Id(2)] float[] Features,
    [property: Id(3)] int SlateSize,
    [property: Id(4)] int[] Actions,
    [property: Id(5)] float[] Propensities,
    [property: Id(6)] float[] Rewards);

/// <summary>One named parameter tensor of a policy network.</summary>
[GenerateSerializer, Immutable, Alias("mar.v1.NamedTensor")]
public sealed record NamedTensor(
    [property: Id(0)] string Name,
    [property: Id(1)] long[] Shape,
    [property: Id(2)] float[] Values);

/// <summary>A versioned copy of a policy's parameters, pushed by the trainer to its agent.</summary>
[GenerateSerializer, Immutable, Alias("mar.v1.PolicySnapshot")]
public sealed record PolicySnapshot(
    [property: Id(0)] int Version,
    [property: Id(1)] NamedTensor[] Tensors);

/// <summary>What the trainer has done so far.</summary>
[GenerateSerializer, Immutable, Alias("mar.v1.TrainingReport")]
public sealed record TrainingReport(
    [property: Id(0)] string Device,
    [property: Id(1)] long Updates,
    [property: Id(2)] long Samples,
    [property: Id(3)] double TrainingSeconds,
    [property: Id(4)] double LastLoss);

/// <summary>How one arm is set up: which agents collaborate and how.</summary>
[GenerateSerializer, Immutable, Alias("mar.v1.ArmSetup")]
public sealed record ArmSetup(
    [property: Id(0)] string RunId,
    [property: Id(1)] string Arm,
    [property: Id(2)] AgentSpec[] Agents);

/// <summary>An agent's weight in the coordinator's aggregation after a round.</summary>
[GenerateSerializer, Immutable, Alias("mar.v1.AgentWeight")]
public sealed record AgentWeight(
    [property: Id(0)] string AgentId,
    [property: Id(1)] double Weight,
    [property: Id(2)] double CreditedReward);

/// <summary>Sums over the slates one arm showed in one round; the client turns them into rates.</summary>
[GenerateSerializer, Immutable, Alias("mar.v1.RoundReport")]
public sealed record RoundReport(
    [property: Id(0)] string Arm,
    [property: Id(1)] int Round,
    [property: Id(2)] int Slates,
    [property: Id(3)] int Clicks,
    [property: Id(4)] double SumExpectedClick,
    [property: Id(5)] double SumRegret,
    [property: Id(6)] double SumNdcg,
    [property: Id(7)] double SumDiversity,
    [property: Id(8)] double SumEngagement,
    [property: Id(9)] int[] ItemsShown,
    [property: Id(10)] AgentWeight[] Weights,
    [property: Id(11)] int SessionsEnded,
    [property: Id(12)] double Seconds);
