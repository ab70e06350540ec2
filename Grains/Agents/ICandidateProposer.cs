using MultiAgentRec.Coordination;
using MultiAgentRec.Simulation;

namespace MultiAgentRec.Agents;

/// <summary>
/// Proposes an agent's top candidates for a shard's users from one round's read-only model. Many
/// shards use one proposer at once, so implementations keep no mutable state.
/// </summary>
public interface ICandidateProposer
{
    void Propose(int round, ReadOnlySpan<SimulatedUser> users, CandidateSet output);
}
