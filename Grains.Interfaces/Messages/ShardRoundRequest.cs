namespace MultiAgentRec.Contracts;

/// <summary>
/// The coordinator's order to a shard: play round <c>Round</c> with these aggregation weights, one
/// row of the arm's agents per weight row (one row, or one per user segment), row-major: segments × agents at most.
/// </summary>
[GenerateSerializer, Immutable, Alias("mar.v1.ShardRoundRequest")]
public sealed record ShardRoundRequest(
    [property: Id(0)] int Round,
    [property: Id(1)] double[] Weights);
