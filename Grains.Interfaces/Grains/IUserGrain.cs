namespace MultiAgentRec.Contracts;

/// <summary>
/// One simulated user, addressable by key "{runId}/{arm}/{userIndex}". Its state lives in its shard
/// (<see cref="IShardGrain"/>), which steps all its users in one turn; this grain reads it from there.
/// </summary>
[Alias("mar.v1.IUserGrain")]
public interface IUserGrain : IGrainWithStringKey
{
    Task<UserContext> GetContext();
}
