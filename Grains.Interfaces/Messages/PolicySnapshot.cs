namespace MultiAgentRec.Contracts;

/// <summary>A versioned copy of a policy's parameters, pushed by the trainer to its agent.</summary>
[GenerateSerializer, Immutable, Alias("mar.v1.PolicySnapshot")]
public sealed record PolicySnapshot(
    [property: Id(0)] int Version,
    [property: Id(1)] NamedTensor[] Tensors);
