using MultiAgentRec.Contracts;

namespace MultiAgentRec.Agents;

/// <summary>
/// What a bandit agent has learned, as its grain persists it: the counts, the position-based
/// model's estimates, the feedback not yet folded in, the round of the last model built, and the
/// last folded round's impressions per segment and slot (what the batch-aware index policies plan with).
/// </summary>
[GenerateSerializer, Alias("mar.v1.BanditPolicyState")]
public sealed class BanditPolicyState
{
    [Id(0)] public int ModelRound { get; set; } = -1;
    [Id(1)] public double[] Impressions { get; set; } = [];
    [Id(2)] public double[] Clicks { get; set; } = [];
    [Id(3)] public double[] SlotImpressions { get; set; } = [];
    [Id(4)] public double[] SlotClicks { get; set; } = [];
    [Id(5)] public double[] Theta { get; set; } = [];
    [Id(6)] public double[] Gamma { get; set; } = [];
    [Id(7)] public List<SegmentClickFeedback> Pending { get; set; } = [];

    /// <summary>Per (segment, slot), the impressions of the last round folded in (empty in states saved before they were kept).</summary>
    [Id(8)] public double[] LastRoundImpressions { get; set; } = [];
}
