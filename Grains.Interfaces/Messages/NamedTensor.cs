namespace MultiAgentRec.Contracts;

/// <summary>One named parameter tensor of a policy network.</summary>
[GenerateSerializer, Immutable, Alias("mar.v1.NamedTensor")]
public sealed record NamedTensor(
    [property: Id(0)] string Name,
    [property: Id(1)] long[] Shape,
    [property: Id(2)] float[] Values);
