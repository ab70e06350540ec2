using MultiAgentRec.Agents;
using MultiAgentRec.Coordination;
using MultiAgentRec.Hosting;
using MultiAgentRec.Simulation;

namespace MultiAgentRec.UnitTests;

public sealed class ProposerCacheTests
{
    private sealed class Counting : ICandidateProposer
    {
        public void Propose(int round, ReadOnlySpan<SimulatedUser> users, CandidateSet output) { }
    }

    [Fact]
    public async Task Shards_of_one_silo_share_one_proposer_per_agent_and_round()
    {
        var cache = new ProposerCache();
        var builds = 0;
        Task<ICandidateProposer> Build() { Interlocked.Increment(ref builds); return Task.FromResult<ICandidateProposer>(new Counting()); }

        var first = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => cache.Get("run/arm/a", 0, Build))));
        var next = await cache.Get("run/arm/a", 1, Build);

        Assert.All(first, p => Assert.Same(first[0], p));
        Assert.NotSame(first[0], next);
        Assert.Equal(2, builds);
    }

    [Fact]
    public async Task A_long_lived_silo_keeps_a_bounded_number_of_agents()
    {
        var cache = new ProposerCache();
        for (var run = 0; run < ProposerCache.Capacity * 2; run++)
            await cache.Get($"run{run}/arm/a", 0, () => Task.FromResult<ICandidateProposer>(new Counting()));

        Assert.True(cache.Count <= ProposerCache.Capacity, $"{cache.Count} entries");
    }
}
