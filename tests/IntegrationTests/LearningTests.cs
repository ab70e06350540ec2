using MultiAgentRec.Client.Runs;
using MultiAgentRec.Contracts;

namespace MultiAgentRec.IntegrationTests;

[Collection(ClusterCollection.Name)]
public sealed class LearningTests(ClusterFixture fixture)
{
    // 1,000 users × 24 rounds, all three agent kinds collaborating, against random and oracle.
    private const string Scenario = """
        name: learning-test
        seed: 7
        rounds: 24
        slateSize: 5
        catalog: { items: 120, topics: 6, embeddingDim: 12 }
        users: { count: 1000, segments: 4 }
        agents:
          - { id: eps, kind: epsilon-greedy, epsilon: 0.1 }
          - { id: ts, kind: thompson }
          - { id: pg, kind: reinforce, learningRate: 0.01 }
        coordinator: { aggregation: hedge }
        trainer: { device: cpu, epochs: 2, minibatchSize: 500 }
        arms: [ensemble, random, oracle]
        """;

    [Fact]
    public async Task Ensemble_learns_well_above_random_and_stays_below_oracle_while_the_trainer_updates()
    {
        var spec = TestScenarios.Parse(Scenario);
        var result = await new ScenarioRunner(fixture.Cluster.Client).RunAsync(spec);

        var from = RunSummary.LastQuarterStart(spec.Rounds);
        var ensemble = RunSummary.Compute(result.Rounds[Names.Ensemble], spec.Catalog.Items, from);
        var random = RunSummary.Compute(result.Rounds[Names.Random], spec.Catalog.Items, from);
        var oracle = RunSummary.Compute(result.Rounds[Names.Oracle], spec.Catalog.Items, from);

        // Margin. Each arm's last-quarter expectedCtr is a mean over U users of per-user averages in
        // [0, 1]. By Hoeffding, a mean of U independent [0,1] values strays from its expectation by
        // more than ε = √(ln(2/δ) / (2U)) with probability at most δ. Allowing that for both arms,
        // a gap above 2ε cannot come from which users happened to be drawn (δ = 0.001, U = 1000:
        // ε ≈ 0.062, margin ≈ 0.123). A learner that did not learn sits at random's level.
        const double delta = 0.001;
        var epsilon = Math.Sqrt(Math.Log(2 / delta) / (2 * spec.Users.Count));
        var margin = 2 * epsilon;
        Assert.True(ensemble.ExpectedCtr - random.ExpectedCtr > margin,
            $"ensemble {ensemble.ExpectedCtr:F4} vs random {random.ExpectedCtr:F4}: gap below the margin {margin:F4}");
        // The oracle is the exact optimum of every user step, so nothing may beat it.
        Assert.True(ensemble.ExpectedCtr < oracle.ExpectedCtr, $"ensemble {ensemble.ExpectedCtr:F4} not below oracle {oracle.ExpectedCtr:F4}");
        Assert.True(ensemble.Regret > 0);

        // The trainer ran gradient steps on every round's logged slates, and the loss stayed finite.
        Assert.Equal("cpu", result.Training.Device);
        Assert.True(result.Training.Updates >= spec.Rounds, $"only {result.Training.Updates} updates");
        Assert.Equal((long)spec.Users.Count * spec.Rounds, result.Training.Samples);
        Assert.True(double.IsFinite(result.Training.LastLoss), $"last loss {result.Training.LastLoss}");

        // The trainer pushed parameters back: the ensemble's REINFORCE agent holds a trained version.
        var agent = fixture.Cluster.Client.GetGrain<IReinforceAgentGrain>(Hosting.GrainKeys.Agent(result.RunId, Names.Ensemble, "pg"));
        Assert.Equal(spec.Rounds, await agent.GetPolicyVersion());

        // Every agent was credited and weighted each round; weights form a distribution.
        var last = result.Rounds[Names.Ensemble][^1];
        Assert.Equal(3, last.Weights.Length);
        Assert.Equal(1.0, last.Weights.Sum(w => w.Weight), 9);
    }

    [Fact]
    public async Task Arms_start_from_identical_users_and_a_run_is_a_function_of_its_seed()
    {
        var spec = TestScenarios.Parse("""
            name: crn-test
            seed: 3
            rounds: 4
            catalog: { items: 40 }
            users: { count: 200 }
            agents: [ { id: eps, kind: epsilon-greedy } ]
            arms: [ensemble, random, oracle]
            """);
        var runner = new ScenarioRunner(fixture.Cluster.Client);
        var first = await runner.RunAsync(spec);
        var second = await runner.RunAsync(spec);
        foreach (var arm in spec.Arms)
        {
            var a = first.Rounds[arm];
            var b = second.Rounds[arm];
            for (var r = 0; r < spec.Rounds; r++)
            {
                Assert.Equal(a[r].Clicks, b[r].Clicks);
                Assert.Equal(a[r].SumExpectedClick, b[r].SumExpectedClick, 12);
                Assert.Equal(a[r].SumEngagement, b[r].SumEngagement, 9);
            }
        }
        // In round 0 every arm faces the same users in the same state, so the oracle's click
        // probability (shown + regret) is the same sum in every arm: identical populations.
        var oracleSums = spec.Arms.Select(arm => first.Rounds[arm][0]).Select(r => r.SumExpectedClick + r.SumRegret).ToArray();
        foreach (var sum in oracleSums) Assert.Equal(oracleSums[0], sum, 9);
        Assert.True(first.Rounds[Names.Oracle][0].SumExpectedClick > first.Rounds[Names.Random][0].SumExpectedClick);
    }
}
