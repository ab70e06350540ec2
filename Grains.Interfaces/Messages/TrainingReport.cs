namespace MultiAgentRec.Contracts;

/// <summary>What the trainer has done so far.</summary>
[GenerateSerializer, Immutable, Alias("mar.v1.TrainingReport")]
public sealed record TrainingReport(
    [property: Id(0)] string Device,
    [property: Id(1)] long Updates,
    [property: Id(2)] long Samples,
    [property: Id(3)] double TrainingSeconds,
    [property: Id(4)] double LastLoss);
