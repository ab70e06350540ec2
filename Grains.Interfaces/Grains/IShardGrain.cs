namespace MultiAgentRec.Contracts;

/// <summary>
/// A shard of one arm's users: plays a round for them (contexts, proposals, aggregation, slate sampling
/// with propensities, user steps, credit, feedback). Key: "{runId}/{arm}/{shardIndex}".
/// Shards of an arm run at the same time on every core of every silo.
/// </summary>
[Alias("mar.v1.IShardGrain")]
public interface IShardGrain : IGrainWithStringKey
{
    Task<ShardReport> RunRound(ShardRoundRequest request);

    /// <summary>The current context of one of this shard's users (by its index in the arm).</summary>
    Task<UserContext> GetUserContext(int userIndex);
}
