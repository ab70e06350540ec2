using MultiAgentRec.Arms;
using MultiAgentRec.Contracts;
using MultiAgentRec.Simulation;

namespace MultiAgentRec.UnitTests;

public sealed class ShardSimulationTests
{
    private static RoundReport[] Run(SimulationSpec spec, string arm, int maxParallelism = -1)
    {
        using var simulation = new ArmSimulation(new World(spec), arm, maxParallelism: maxParallelism);
        return Enumerable.Range(0, spec.Rounds).Select(simulation.RunRound).ToArray();
    }

    private static void AssertSame(RoundReport[] expected, RoundReport[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var r = 0; r < expected.Length; r++)
        {
            Assert.Equal(expected[r].Clicks, actual[r].Clicks);
            Assert.Equal(expected[r].SumExpectedClick, actual[r].SumExpectedClick, 9);
            Assert.Equal(expected[r].SumRegret, actual[r].SumRegret, 9);
            Assert.Equal(expected[r].SumEngagement, actual[r].SumEngagement, 6);
            Assert.Equal(expected[r].ItemsShown, actual[r].ItemsShown);
            // Weights come from the agents' estimated clicks, sums of doubles over shards: a different
            // split groups them differently, which moves the last bits (seen: 2e-16), nothing more.
            Assert.Equal(expected[r].Weights.Select(w => w.Weight), actual[r].Weights.Select(w => w.Weight), (x, y) => Math.Abs(x - y) < 1e-12);
        }
    }

    [Theory]
    [InlineData(Names.Ensemble)]
    [InlineData("solo:ts")]
    [InlineData(Names.Random)]
    [InlineData(Names.Oracle)]
    public void An_arms_rounds_do_not_depend_on_how_its_users_are_split_into_shards(string arm)
    {
        // Sums over shards are added in shard order, but a sum of the same doubles in a different
        // grouping may differ in its last bits: 9 decimals is far above that and far below any
        // real difference (one changed click moves SumExpectedClick by ~0.1).
        var whole = Run(TestWorlds.Bandits(shardSize: 1000), arm);
        var split = Run(TestWorlds.Bandits(shardSize: 7), arm);

        AssertSame(whole, split);
    }

    [Fact]
    public void An_arms_rounds_do_not_depend_on_the_thread_count()
    {
        var spec = TestWorlds.Bandits(shardSize: 9);

        AssertSame(Run(spec, Names.Ensemble, maxParallelism: 1), Run(spec, Names.Ensemble, maxParallelism: 8));
    }

    [Fact]
    public void Bandit_feedback_counts_every_shown_item_and_every_click_once()
    {
        var spec = TestWorlds.Bandits(users: 25);
        var world = new World(spec);
        var shard = new ShardSimulation(world, Names.Ensemble, 0, 2);
        var policies = spec.Agents.Select(a => Agents.CandidateProposers.BanditPolicyFor(world, a, 1)).ToArray();
        var proposers = spec.Agents.Select((a, i) => Agents.CandidateProposers.From(world, a, 1, new AgentModel(0, 0, policies[i].ModelFor(0), null))).ToArray();

        var result = shard.RunRound(0, proposers, [0.5, 0.5], banditFeedback: true, trajectories: false);

        var feedback = result.SegmentClickFeedback!;
        Assert.Equal(25 * spec.SlateSize, feedback.Impressions.Sum());
        Assert.Equal(result.Report.Clicks, feedback.Clicks.Sum());
        // Entries are per (cell, slot), ascending and distinct; every slot of every slate is counted once.
        var keys = feedback.Cells.Select((cell, i) => (long)cell * spec.SlateSize + feedback.Slots![i]).ToArray();
        Assert.Equal(keys.Order().Distinct(), keys);
        Assert.All(Enumerable.Range(0, spec.SlateSize), slot => Assert.Equal(25, feedback.Impressions.Where((_, i) => feedback.Slots![i] == slot).Sum()));
        Assert.Null(result.Trajectories);
    }

    [Fact]
    public void Oracle_arm_shows_each_user_its_best_slate()
    {
        var report = Run(TestWorlds.Bandits(rounds: 1), Names.Oracle)[0];

        Assert.Equal(0, report.SumRegret, 12);
        Assert.Equal(report.Slates, report.SumNdcg, 9);
    }

    [Fact]
    public void Ensemble_of_bandits_learns_above_random()
    {
        // 600 users × 12 rounds on 60 items: the bandits must pull well away from random. Margin: the
        // last-quarter mean of U = 600 per-user averages in [0, 1] strays from its expectation by more
        // than √(ln(2/δ)/(2U)) = 0.080 with probability ≤ δ = 0.001 (Hoeffding); twice that for two arms.
        var spec = TestWorlds.Bandits(users: 600, items: 60, shardSize: 150, rounds: 12);
        var from = spec.Rounds - spec.Rounds / 4;
        double LastQuarter(RoundReport[] rounds) => rounds.Skip(from).Sum(r => r.SumExpectedClick) / rounds.Skip(from).Sum(r => r.Slates);

        var ensemble = LastQuarter(Run(spec, Names.Ensemble));
        var random = LastQuarter(Run(spec, Names.Random));

        var margin = 2 * Math.Sqrt(Math.Log(2 / 0.001) / (2 * spec.Users.Count));
        Assert.True(ensemble - random > margin, $"ensemble {ensemble:F4} vs random {random:F4}, margin {margin:F4}");
    }
}
