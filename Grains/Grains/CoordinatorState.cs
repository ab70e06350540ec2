namespace MultiAgentRec.Grains;

/// <summary>
/// What a coordinator must not lose when Orleans deactivates it: the Hedge losses (weight rows × agents,
/// row-major: one row, or one per user segment) and the last round played.
/// </summary>
[GenerateSerializer, Alias("mar.v1.CoordinatorState")]
public sealed class CoordinatorState
{
    [Id(0)] public double[] CumulativeLosses { get; set; } = [];
    [Id(1)] public int LastRound { get; set; } = -1;
}
