using MultiAgentRec.Arms;
using MultiAgentRec.Client.Runs;
using MultiAgentRec.Contracts;
using MultiAgentRec.Simulation;

namespace MultiAgentRec.UnitTests;

/// <summary>
/// The per-segment and per-shard breakdown of a round's expected clicks: it adds up to the round's
/// totals, counts each user in its own segment and shard, and turns into rates the same way.
/// </summary>
public sealed class RoundBreakdownTests
{
    private static RoundReport[] Run(SimulationSpec spec, string arm)
    {
        using var simulation = new ArmSimulation(new World(spec), arm);
        return Enumerable.Range(0, spec.Rounds).Select(simulation.RunRound).ToArray();
    }

    [Theory]
    [InlineData(Names.Ensemble)]
    [InlineData(Names.Random)]
    public void Segment_and_shard_figures_add_up_to_the_rounds_totals(string arm)
    {
        var spec = TestWorlds.Bandits(users: 60, shardSize: 7);
        var world = new World(spec);
        var usersPerSegment = Enumerable.Range(0, 60).Select(i => new SimulatedUser(world, i).Segment)
            .GroupBy(s => s).ToDictionary(g => g.Key, g => g.Count());

        foreach (var r in Run(spec, arm))
        {
            // Every user takes one step per round: a segment shows as many slates as it has users,
            // a shard as many as it holds (7, the last one 60 − 8·7 = 4).
            Assert.Equal(Enumerable.Range(0, 3).Select(s => usersPerSegment.GetValueOrDefault(s)), r.SegmentSlates!);
            Assert.Equal([7, 7, 7, 7, 7, 7, 7, 7, 4], r.ShardSlates!);
            // 1e-9: the same doubles summed in another grouping differ in their last bits only.
            Assert.Equal(r.SumExpectedClick, r.SegmentExpectedClicks!.Sum(), 9);
            Assert.Equal(r.SumExpectedClick, r.ShardExpectedClicks!.Sum(), 9);
        }
    }

    [Fact]
    public void Rates_by_segment_and_by_shard_weigh_back_to_the_arms_expected_ctr()
    {
        var spec = TestWorlds.Bandits(users: 60, shardSize: 7);
        var rounds = Run(spec, Names.Ensemble);
        const int from = 3;
        var whole = RunSummary.Compute(rounds, spec.Catalog.Items, from).ExpectedCtr;

        var bySegment = RunSummary.ExpectedCtrBySegment(rounds, from);
        var segmentSlates = Enumerable.Range(0, 3).Select(s => rounds.Where(r => r.Round >= from).Sum(r => r.SegmentSlates![s])).ToArray();
        var byShard = RunSummary.ExpectedCtrByShard(rounds, from);
        var shardSlates = Enumerable.Range(0, 9).Select(j => rounds.Where(r => r.Round >= from).Sum(r => r.ShardSlates![j])).ToArray();

        Assert.Equal(3, bySegment.Length);
        Assert.Equal(9, byShard.Length);
        Assert.Equal(whole, bySegment.Zip(segmentSlates, (c, n) => c * n).Sum() / segmentSlates.Sum(), 9);
        Assert.Equal(whole, byShard.Zip(shardSlates, (c, n) => c * n).Sum() / shardSlates.Sum(), 9);
    }

    [Fact]
    public void Reports_without_a_breakdown_give_no_figures()
    {
        var report = new RoundReport(Names.Ensemble, 0, 10, 3, 2.5, 0, 0, 0, 0, [], [], 0, 0);

        Assert.Empty(RunSummary.ExpectedCtrBySegment([report]));
        Assert.Empty(RunSummary.ExpectedCtrByShard([report]));
        Assert.Empty(RunSummary.ExpectedCtrByShard([]));
    }
}
