namespace MultiAgentRec.Contracts;

/// <summary>
/// Sums over the slates one arm showed in one round; the client turns them into rates.
/// <c>SegmentSlates</c> and <c>SegmentExpectedClicks</c> break the slates and expected clicks down by user segment,
/// <c>ShardSlates</c> and <c>ShardExpectedClicks</c> by shard (the shards that played, in shard order; bounded by
/// users / <c>shardSize</c>), so that two arms on the same users can be compared shard by shard.
/// </summary>
[GenerateSerializer, Immutable, Alias("mar.v1.RoundReport")]
public sealed record RoundReport(
    [property: Id(0)] string Arm,
    [property: Id(1)] int Round,
    [property: Id(2)] int Slates,
    [property: Id(3)] int Clicks,
    [property: Id(4)] double SumExpectedClick,
    [property: Id(5)] double SumRegret,
    [property: Id(6)] double SumNdcg,
    [property: Id(7)] double SumDiversity,
    [property: Id(8)] double SumEngagement,
    [property: Id(9)] int[] ItemsShown,
    [property: Id(10)] AgentWeight[] Weights,
    [property: Id(11)] int SessionsEnded,
    [property: Id(12)] double Seconds,
    [property: Id(13)] CohortRoundFigures[]? Cohorts = null,
    [property: Id(14)] int[]? SegmentSlates = null,
    [property: Id(15)] double[]? SegmentExpectedClicks = null,
    [property: Id(16)] int[]? ShardSlates = null,
    [property: Id(17)] double[]? ShardExpectedClicks = null);
