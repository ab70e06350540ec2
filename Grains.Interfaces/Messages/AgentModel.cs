namespace MultiAgentRec.Contracts;

/// <summary>
/// The versioned, read-only state an agent proposes from in one round: every proposal of round r is
/// made from the state after round r−1's feedback. Bandits send a <see cref="BanditModel"/>,
/// policy-gradient agents their <see cref="PolicySnapshot"/>, contextual bandits their <see cref="LinearBanditModel"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("mar.v1.AgentModel")]
public sealed record AgentModel(
    [property: Id(0)] int Round,
    [property: Id(1)] int Version,
    [property: Id(2)] BanditModel? Bandit,
    [property: Id(3)] PolicySnapshot? Policy,
    [property: Id(4)] LinearBanditModel? Linear = null);
