namespace MultiAgentRec.Contracts;

/// <summary>
/// One shard's round of feedback for the bandit agents, pre-aggregated per (segment, item) cell
/// (<c>Cells[i]</c> = segment × items + item) and, when <c>Slots</c> is present, per slot the item
/// was shown in: entries are ascending and distinct by (cell, slot), at most shard size × slate size
/// of them, so the message is bounded by the shard, not by users or the catalog. Without
/// <c>Slots</c> (older senders) cells are distinct and the slot is unknown.
/// </summary>
[GenerateSerializer, Immutable, Alias("mar.v1.SegmentClickFeedback")]
public sealed record SegmentClickFeedback(
    [property: Id(0)] int Round,
    [property: Id(1)] int Shard,
    [property: Id(2)] int[] Cells,
    [property: Id(3)] int[] Impressions,
    [property: Id(4)] int[] Clicks,
    [property: Id(5)] int[]? Slots = null);
