namespace MultiAgentRec.Contracts;

/// <summary>Beta-Bernoulli Thompson sampling over (segment, item) click rates.</summary>
[Alias("mar.v1.IThompsonSamplingAgentGrain")]
public interface IThompsonSamplingAgentGrain : IAgentGrain;
