namespace MultiAgentRec.Contracts;

/// <summary>UCB1 bandit over (segment, item) click rates.</summary>
[Alias("mar.v1.IUcb1AgentGrain")]
public interface IUcb1AgentGrain : IAgentGrain;
