using MultiAgentRec.Contracts;
using MultiAgentRec.Hosting;

namespace MultiAgentRec.Grains;

/// <summary>Epsilon-greedy bandit agent.</summary>
public sealed class EpsilonGreedyAgentGrain(WorldCache worlds) : BanditAgentGrain(worlds), IEpsilonGreedyAgentGrain;
