using MultiAgentRec.Agents;
using MultiAgentRec.Contracts;
using MultiAgentRec.Hosting;

namespace MultiAgentRec.Grains;

/// <summary>Epsilon-greedy bandit agent.</summary>
public sealed class EpsilonGreedyAgentGrain(WorldCache worlds, [PersistentState("bandit")] IPersistentState<BanditPolicyState> state)
    : BanditAgentGrain(worlds, state), IEpsilonGreedyAgentGrain;
