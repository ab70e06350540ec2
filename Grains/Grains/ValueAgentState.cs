using MultiAgentRec.Contracts;

namespace MultiAgentRec.Grains;

/// <summary>What a value-based agent must not lose when Orleans deactivates it: the latest snapshot the trainer pushed.</summary>
[GenerateSerializer, Alias("mar.v1.ValueAgentState")]
public sealed class ValueAgentState : ITrainedAgentState
{
    [Id(0)] public PolicySnapshot? Snapshot { get; set; }
}
