namespace MultiAgentRec.Contracts;

/// <summary>The coordinator's order to a shard: play round <c>Round</c> with these aggregation weights (one per agent of the arm).</summary>
[GenerateSerializer, Immutable, Alias("mar.v1.ShardRoundRequest")]
public sealed record ShardRoundRequest(
    [property: Id(0)] int Round,
    [property: Id(1)] double[] Weights);
