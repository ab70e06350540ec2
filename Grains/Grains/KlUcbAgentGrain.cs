using MultiAgentRec.Agents;
using MultiAgentRec.Contracts;
using MultiAgentRec.Hosting;

namespace MultiAgentRec.Grains;

/// <summary>KL-UCB bandit agent.</summary>
public sealed class KlUcbAgentGrain(WorldCache worlds, [PersistentState("bandit")] IPersistentState<BanditPolicyState> state)
    : BanditAgentGrain(worlds, state), IKlUcbAgentGrain;
