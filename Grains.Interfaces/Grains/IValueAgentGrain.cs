namespace MultiAgentRec.Contracts;

/// <summary>
/// A value-based agent (DQN or SlateQ) whose networks the trainer grain updates; shards score with
/// its snapshot. The latest snapshot is persisted, so the agent proposes the same after a reactivation.
/// </summary>
[Alias("mar.v1.IValueAgentGrain")]
public interface IValueAgentGrain : IAgentGrain
{
    /// <summary>Receives new parameters from the trainer; older or equal versions are ignored.</summary>
    Task SetPolicy(PolicySnapshot snapshot);
    Task<int> GetPolicyVersion();
}
