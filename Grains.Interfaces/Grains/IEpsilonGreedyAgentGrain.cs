namespace MultiAgentRec.Contracts;

/// <summary>Epsilon-greedy bandit over (segment, item) click rates.</summary>
[Alias("mar.v1.IEpsilonGreedyAgentGrain")]
public interface IEpsilonGreedyAgentGrain : IAgentGrain;
