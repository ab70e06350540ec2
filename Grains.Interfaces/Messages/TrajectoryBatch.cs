namespace MultiAgentRec.Contracts;

/// <summary>
/// Policy-gradient experience from one shard's round: per row a feature vector, the slate shown, its
/// per-slot propensities and rewards. The trainer orders batches by (round, shard) before training,
/// so an update never depends on which shard reported first.
/// </summary>
[GenerateSerializer, Immutable, Alias("mar.v1.TrajectoryBatch")]
public sealed record TrajectoryBatch(
    [property: Id(0)] int Rows,
    [property: Id(1)] int FeatureDim,
    [property: Id(2)] float[] Features,
    [property: Id(3)] int SlateSize,
    [property: Id(4)] int[] Actions,
    [property: Id(5)] float[] Propensities,
    [property: Id(6)] float[] Rewards,
    [property: Id(7)] int Round = 0,
    [property: Id(8)] int Shard = 0);
