using MultiAgentRec.Agents;
using MultiAgentRec.Contracts;
using MultiAgentRec.Hosting;

namespace MultiAgentRec.Grains;

/// <summary>UCB1 bandit agent.</summary>
public sealed class Ucb1AgentGrain(WorldCache worlds, [PersistentState("bandit")] IPersistentState<BanditPolicyState> state)
    : BanditAgentGrain(worlds, state), IUcb1AgentGrain;
