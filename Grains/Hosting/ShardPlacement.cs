namespace MultiAgentRec.Hosting;

/// <summary>Places an arm's shards round-robin over the compatible silos, so every silo works on every big arm.</summary>
[GenerateSerializer, Immutable, Alias("mar.v1.ShardPlacement")]
public sealed class ShardPlacement : PlacementStrategy;
