namespace MultiAgentRec.Contracts;

/// <summary>An agent's weight in the coordinator's aggregation after a round.</summary>
[GenerateSerializer, Immutable, Alias("mar.v1.AgentWeight")]
public sealed record AgentWeight(
    [property: Id(0)] string AgentId,
    [property: Id(1)] double Weight,
    [property: Id(2)] double CreditedReward);
