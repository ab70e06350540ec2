namespace MultiAgentRec.Contracts;

/// <summary>
/// One cold-start cohort's sums in one round of one arm: every user of the cohort takes its
/// (Round − join round + 1)-th step then, so a cohort's rounds are its CTR by interaction index.
/// </summary>
[GenerateSerializer, Immutable, Alias("mar.v1.CohortRoundFigures")]
public sealed record CohortRoundFigures(
    [property: Id(0)] int Cohort,
    [property: Id(1)] int Slates,
    [property: Id(2)] int Clicks,
    [property: Id(3)] double SumExpectedClick,
    [property: Id(4)] double SumRegret);
