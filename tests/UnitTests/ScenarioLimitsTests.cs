using MultiAgentRec.Client.Scenarios;
using MultiAgentRec.Simulation;

namespace MultiAgentRec.UnitTests;

public sealed class ScenarioLimitsTests
{
    [Fact]
    public void A_shard_size_whose_messages_pass_the_budget_is_reported_at_its_line()
    {
        // 1,000,000 users per shard × (16 + 6 features + 3 × 5) × 4 bytes = 148 MB of experience per message.
        var loaded = ScenarioLoader.Parse("""
            name: huge-shards
            users:
              count: 1000000
              shardSize: 1000000
            agents: [ { id: pg, kind: reinforce } ]
            """, "huge.yaml");

        // The experience and the feedback messages both pass it; both point at the key to change.
        Assert.Equal(2, loaded.Problems.Count);
        Assert.All(loaded.Problems, p => Assert.Equal(4, p.Line));
        Assert.All(loaded.Problems, p => Assert.Contains("above the 16.0 MiB allowed per message", p.Message));
        Assert.Contains(loaded.Problems, p => p.Message.StartsWith("users.shardSize: a shard experience", StringComparison.Ordinal));
    }

    [Fact]
    public void A_catalog_whose_snapshot_passes_the_budget_is_reported_at_its_line()
    {
        var loaded = ScenarioLoader.Parse("""
            name: huge-catalog
            catalog:
              items: 5000000
            agents: [ { id: pg, kind: reinforce } ]
            """, "huge.yaml");

        // The policy snapshot (one bias per item) and the shard report (items shown) both pass it.
        Assert.Equal(2, loaded.Problems.Count);
        Assert.All(loaded.Problems, p => Assert.Equal(3, p.Line));
        Assert.Contains(loaded.Problems, p => p.Message.Contains("policy snapshot of 'pg'", StringComparison.Ordinal));
    }

    [Fact]
    public void Memory_estimate_grows_with_users_and_does_not_overflow()
    {
        var small = TestWorlds.Spec("name: a\nusers: { count: 1000 }\nagents: [ { id: e, kind: epsilon-greedy } ]");
        var big = TestWorlds.Spec("name: a\nusers: { count: 2000000000, shardSize: 100000 }\nagents: [ { id: e, kind: epsilon-greedy } ]");

        var a = ScenarioLimits.EstimateMemoryBytes(small);
        var b = ScenarioLimits.EstimateMemoryBytes(big);

        Assert.InRange(a, 300L << 20, 1L << 30);
        // Four arms of 2e9 users at a few hundred bytes each: terabytes, not a negative overflow.
        Assert.True(b > 1L << 40, $"estimate {b}");
    }
}
