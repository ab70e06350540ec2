namespace MultiAgentRec.Contracts;

/// <summary>KL-UCB bandit over (segment, item) Bernoulli click rates.</summary>
[Alias("mar.v1.IKlUcbAgentGrain")]
public interface IKlUcbAgentGrain : IAgentGrain;
