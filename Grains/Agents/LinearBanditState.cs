using MultiAgentRec.Contracts;

namespace MultiAgentRec.Agents;

/// <summary>
/// A linear bandit's learned state as stored through Orleans persistence: the sufficient statistics
/// (inverses packed, in double precision, so a restored agent builds bit-for-bit the same models),
/// the last round folded in, and the feedback received but not yet folded.
/// </summary>
[GenerateSerializer, Alias("mar.v1.LinearBanditState")]
public sealed class LinearBanditState
{
    /// <summary>Rounds 0..FoldedThrough are in the statistics; −1 for a fresh agent.</summary>
    [Id(0)] public int FoldedThrough { get; set; } = -1;
    [Id(1)] public double[] InversePacked { get; set; } = [];
    [Id(2)] public double[] RewardSums { get; set; } = [];
    [Id(3)] public double[] Cross { get; set; } = [];
    [Id(4)] public double[] SharedGram { get; set; } = [];
    [Id(5)] public double[] SharedRewards { get; set; } = [];
    [Id(6)] public double[] ContextSums { get; set; } = [];
    [Id(7)] public double[] ContextCounts { get; set; } = [];
    [Id(8)] public TrajectoryBatch[] Pending { get; set; } = [];

    /// <summary>Whether this holds anything (a grain's state before its first write does not).</summary>
    public bool IsEmpty => InversePacked.Length == 0;
}
