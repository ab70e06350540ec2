namespace MultiAgentRec.Contracts;

/// <summary>REINFORCE agent whose policy network is trained by the trainer grain; shards score with its snapshot.</summary>
[Alias("mar.v1.IReinforceAgentGrain")]
public interface IReinforceAgentGrain : IAgentGrain
{
    /// <summary>Receives new parameters from the trainer.</summary>
    Task SetPolicy(PolicySnapshot snapshot);
    Task<int> GetPolicyVersion();
}
