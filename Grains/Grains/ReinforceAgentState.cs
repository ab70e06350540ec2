using MultiAgentRec.Contracts;

namespace MultiAgentRec.Grains;

/// <summary>What a REINFORCE agent must not lose when Orleans deactivates it: the last snapshot the trainer pushed.</summary>
[GenerateSerializer, Alias("mar.v1.ReinforceAgentState")]
public sealed class ReinforceAgentState : ITrainedAgentState
{
    [Id(0)] public PolicySnapshot? Snapshot { get; set; }
}
