using Orleans.Placement;

namespace MultiAgentRec.Hosting;

/// <summary>Marks a grain class whose key ends in a shard index for <see cref="ShardPlacement"/>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class ShardPlacementAttribute() : PlacementAttribute(new ShardPlacement());
