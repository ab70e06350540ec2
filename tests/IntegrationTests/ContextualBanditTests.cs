using MultiAgentRec.Client.Runs;
using MultiAgentRec.Contracts;
using MultiAgentRec.Hosting;
using Xunit.Abstractions;

namespace MultiAgentRec.IntegrationTests;

[Collection(ClusterCollection.Name)]
public sealed class ContextualBanditTests(ClusterFixture fixture, ITestOutputHelper output)
{
    /// <summary>
    /// A stationary world (no interest drift, no boredom) of 300 items and 4 segments, each linear
    /// bandit alone next to random and oracle, with the kinds' default hyper-parameters. Seed 7 is
    /// the seed the defaults were looked at on; seed 31 was never used to choose anything.
    /// </summary>
    private static string Stationary(int seed) => $$"""
        name: linear-bandits
        seed: {{seed}}
        rounds: 24
        slateSize: 5
        catalog: { items: 300, topics: 6, embeddingDim: 12 }
        users: { count: 1000, segments: 4, shardSize: 500 }
        choice: { interestDrift: 0, boredomWeight: 0 }
        agents:
          - { id: lin, kind: linucb }
          - { id: hyb, kind: linucb-hybrid }
          - { id: lts, kind: linear-thompson }
        arms: [solo, random, oracle]
        """;

    [Theory]
    [InlineData(7)]
    [InlineData(31)]
    public async Task Each_linear_bandit_alone_closes_at_least_half_of_the_gap_from_random_to_oracle(int seed)
    {
        var spec = TestScenarios.Parse(Stationary(seed));
        var result = await new ScenarioRunner(fixture.Cluster.Client).RunAsync(spec);

        var from = RunSummary.LastQuarterStart(spec.Rounds);
        double Ctr(string arm) => RunSummary.Compute(result.Rounds[arm], spec.Catalog.Items, from).ExpectedCtr;
        var random = Ctr(Names.Random);
        var oracle = Ctr(Names.Oracle);
        // The criterion is the issue's: at least half of the random → oracle gap, last quarter.
        // Why the figures are not luck: expectedCtr is the exact click probability of the shown
        // slates, so the only randomness is in which slates were shown. Each arm's last-quarter
        // value is a mean over the same 1,000 users (common random numbers) of per-user means in
        // [0, 1], whose variance is at most 1/4 (Popoviciu): its sd is at most 0.5/√1000 ≈ 0.016,
        // so a learner whose expected figure sat at the threshold would clear it by 3 sd (0.047)
        // less than once in 700 runs. Measured with the position-bias correction (the default since
        // 2026-11-23): seed 7 (the one looked at) linucb 0.413, hybrid 0.424, linear TS 0.394 against
        // a threshold of 0.323; seed 31 (not tuned on) 0.390, 0.406, 0.392 against 0.335. Without it
        // linear TS on seed 31 reached 0.349, clearing the bar by less than 1 sd.
        var threshold = random + 0.5 * (oracle - random);
        foreach (var id in new[] { "lin", "hyb", "lts" })
        {
            var ctr = Ctr(Names.SoloPrefix + id);
            output.WriteLine($"seed {seed}: solo:{id} {ctr:F4} (random {random:F4}, oracle {oracle:F4}, half the gap at {threshold:F4})");
            Assert.True(ctr >= threshold, $"solo:{id} last-quarter expectedCtr {ctr:F4} below half the gap ({threshold:F4}; random {random:F4}, oracle {oracle:F4})");
            Assert.True(ctr < oracle, $"solo:{id} {ctr:F4} not below the oracle {oracle:F4}");
        }
    }

    // Small enough to drive round by round: two shards, so the agent folds two batches per round.
    private const string Small = """
        name: linear-state
        seed: 5
        rounds: 6
        slateSize: 3
        catalog: { items: 50, topics: 4, embeddingDim: 6 }
        users: { count: 160, segments: 3, shardSize: 80 }
        agents:
          - { id: hyb, kind: linucb-hybrid }
          - { id: lts, kind: linear-thompson }
        arms: [ensemble]
        """;

    [Fact]
    public async Task A_contextual_agent_deactivated_mid_run_comes_back_with_its_state_and_the_run_goes_on_unchanged()
    {
        var spec = TestScenarios.Parse(Small);
        var client = fixture.Cluster.Client;
        var (coordinator, runId) = await RoundByRound.Register(client, spec, "linear-state", Names.Ensemble);
        var agent = client.GetGrain<IContextualBanditAgentGrain>(GrainKeys.Agent(runId, Names.Ensemble, "hyb"));

        // Before round 3, round 2's feedback is held, not folded yet: the stored state must carry it.
        var reports = await RoundByRound.Play(coordinator, spec.Rounds, deactivateBefore: 3, [agent]);
        // The model after the last round, then again after another deactivation: the same numbers.
        var before = (await agent.GetModel(spec.Rounds)).Linear!;
        await RoundByRound.Deactivate(agent);
        var after = (await agent.GetModel(spec.Rounds)).Linear!;
        Assert.Equal(before.Theta, after.Theta);
        Assert.Equal(before.Covariance, after.Covariance);
        Assert.Equal(before.Cross, after.Cross);
        Assert.Equal(before.Beta, after.Beta);
        Assert.Equal(before.CentroidWidths, after.CentroidWidths);

        // And the run matched the same arm played as a tight loop without grains, round by round.
        TightLoopFigures.AssertSame(TightLoopFigures.Run(spec, Names.Ensemble).Rounds, reports, Names.Ensemble);
        Assert.True(reports[^1].Slates == spec.Users.Count);
    }
}
