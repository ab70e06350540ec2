namespace MultiAgentRec.Contracts;

/// <summary>What an agent may observe about a user before recommending.</summary>
[GenerateSerializer, Immutable, Alias("mar.v1.UserContext")]
public sealed record UserContext(
    [property: Id(0)] int UserIndex,
    [property: Id(1)] int Segment,
    [property: Id(2)] float[] Profile,
    [property: Id(3)] int[] RecentClicks);
