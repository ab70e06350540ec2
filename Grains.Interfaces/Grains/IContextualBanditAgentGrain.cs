namespace MultiAgentRec.Contracts;

/// <summary>
/// A contextual (linear) bandit agent: LinUCB (disjoint or hybrid) or linear Thompson sampling. It
/// learns from every impression's user features, item and click, so shards send it their round's
/// <see cref="TrajectoryBatch"/> rather than the per-segment counts the other bandits use.
/// </summary>
[Alias("mar.v1.IContextualBanditAgentGrain")]
public interface IContextualBanditAgentGrain : IAgentGrain
{
    /// <summary>One shard's impressions of one round.</summary>
    Task ObserveImpressions(TrajectoryBatch batch);
}
