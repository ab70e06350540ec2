namespace MultiAgentRec.Contracts;

/// <summary>
/// Sums over the slates one shard showed in one round; the coordinator adds the shards' reports in
/// shard order. Bounded by the shard size and the catalog, never by users × items.
/// <c>EstimatedClicks</c> holds each agent's fair credit (the clicks its own solo policy is estimated to
/// have earned), weight rows × agents, row-major; <c>RowSlates</c> the slates shown per weight row;
/// <c>SegmentSlates</c> and <c>SegmentExpectedClicks</c> the slates and expected clicks per user segment.
/// </summary>
[GenerateSerializer, Immutable, Alias("mar.v1.ShardReport")]
public sealed record ShardReport(
    [property: Id(0)] int Slates,
    [property: Id(1)] int Clicks,
    [property: Id(2)] double SumExpectedClick,
    [property: Id(3)] double SumRegret,
    [property: Id(4)] double SumNdcg,
    [property: Id(5)] double SumDiversity,
    [property: Id(6)] double SumEngagement,
    [property: Id(7)] int[] ItemsShown,
    [property: Id(8)] int[] CreditedClicks,
    [property: Id(9)] int SessionsEnded,
    [property: Id(10)] double[] EstimatedClicks,
    [property: Id(11)] int[] RowSlates,
    [property: Id(12)] int[]? SegmentSlates = null,
    [property: Id(13)] double[]? SegmentExpectedClicks = null);
