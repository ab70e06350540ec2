using MultiAgentRec.Agents;
using MultiAgentRec.Contracts;
using MultiAgentRec.Hosting;

namespace MultiAgentRec.Grains;

/// <summary>Beta-Bernoulli Thompson sampling agent.</summary>
public sealed class ThompsonSamplingAgentGrain(WorldCache worlds, [PersistentState("bandit")] IPersistentState<BanditPolicyState> state)
    : BanditAgentGrain(worlds, state), IThompsonSamplingAgentGrain;
