using System.Collections.Concurrent;

namespace MultiAgentRec.Coordination;

/// <summary>
/// Candidate sets shared by the shards that run at the same time: a shard rents one per agent for
/// the length of its round. At most a few shards per core run at once, so the pool holds a few sets
/// per core however many users there are.
/// </summary>
public static class CandidateSetPool
{
    private static readonly ConcurrentDictionary<(int Users, int PerUser), ConcurrentBag<CandidateSet>> s_pool = new();

    public static CandidateSet Rent(int users, int perUser) =>
        s_pool.TryGetValue((users, perUser), out var bag) && bag.TryTake(out var set) ? set : new CandidateSet(users, perUser);

    public static void Return(CandidateSet set) => s_pool.GetOrAdd((set.Users, set.PerUser), _ => []).Add(set);
}
