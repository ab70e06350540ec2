using MultiAgentRec.Arms;
using MultiAgentRec.Client.Runs;
using MultiAgentRec.Contracts;
using MultiAgentRec.Hosting;
using MultiAgentRec.Simulation;

namespace MultiAgentRec.IntegrationTests;

[Collection(ThreeSiloCollection.Name)]
public sealed class DeterminismTests(ThreeSiloFixture fixture)
{
    // All three agent kinds, several shards per arm (so shards land on all three silos), training every round.
    private const string Scenario = """
        name: determinism-test
        seed: 19
        rounds: 6
        slateSize: 4
        catalog: { items: 80, topics: 5, embeddingDim: 8 }
        users: { count: 500, segments: 4, shardSize: 90 }
        agents:
          - { id: eps, kind: epsilon-greedy }
          - { id: ts, kind: thompson }
          - { id: pg, kind: reinforce, hiddenSize: 16, embeddingSize: 8 }
        trainer: { device: cpu, epochs: 1, minibatchSize: 256, threads: 1 }
        arms: [ensemble, solo:pg, random, oracle]
        """;

    /// <summary>Registers the scenario with only <paramref name="arm"/>, for a test that drives the arm's coordinator itself.</summary>
    private async Task<(SimulationSpec Spec, ICoordinatorGrain Coordinator, string RunId)> Register(string name, string arm)
    {
        var spec = TestScenarios.Parse(Scenario.Replace("arms: [ensemble, solo:pg, random, oracle]", $"arms: [{arm}]"));
        var (coordinator, runId) = await RoundByRound.Register(fixture.Cluster.Client, spec, name, arm);
        return (spec, coordinator, runId);
    }

    [Fact]
    public async Task A_run_on_three_silos_gives_the_figures_of_the_single_process_tight_loop()
    {
        var spec = TestScenarios.Parse(Scenario);
        var result = await new ScenarioRunner(fixture.Cluster.Client).RunAsync(spec);

        foreach (var arm in spec.Arms) TightLoopFigures.AssertSame(TightLoopFigures.Run(spec, arm).Rounds, result.Rounds[arm], arm);
        // The work really was spread: with 6 shards per arm placed round-robin, every silo holds shards.
        Assert.Equal(6, spec.ShardCount);
        var stats = await fixture.Cluster.Client.GetGrain<IManagementGrain>(0).GetSimpleGrainStatistics();
        var silosWithShards = stats.Where(s => s.GrainType.Contains(nameof(Grains.ShardGrain), StringComparison.Ordinal) && s.ActivationCount > 0).Select(s => s.SiloAddress).Distinct().Count();
        Assert.Equal(3, silosWithShards);
    }

    [Fact]
    public async Task A_coordinator_deactivated_mid_run_rebuilds_itself_and_the_run_goes_on_unchanged()
    {
        var (spec, coordinator, _) = await Register("reactivation", Names.Ensemble);

        // Orleans may collect an idle grain at any time; the coordinator must come back on its own.
        var reports = await RoundByRound.Play(coordinator, spec.Rounds, deactivateBefore: 3, [coordinator]);

        TightLoopFigures.AssertSame(TightLoopFigures.Run(spec, Names.Ensemble).Rounds, reports, Names.Ensemble);
    }

    [Fact]
    public async Task A_coordinator_with_weights_per_segment_and_pick_mode_rebuilds_its_rows_after_deactivation()
    {
        // The persisted state is segments × agents discounted losses; a reactivated coordinator that
        // lost a row (or fell back to one global row) would change the next round's slates.
        var spec = TestScenarios.Parse(Scenario.Replace("arms: [ensemble, solo:pg, random, oracle]", "arms: [ensemble]")
            .Replace("trainer:", "coordinator: { aggregation: pick, weights: segment, weightDiscount: 0.9, hedgeLearningRate: 5 }\ntrainer:"));
        var (coordinator, _) = await RoundByRound.Register(fixture.Cluster.Client, spec, "reactivation-segments", Names.Ensemble);

        var reports = await RoundByRound.Play(coordinator, spec.Rounds, deactivateBefore: 3, [coordinator]);

        TightLoopFigures.AssertSame(TightLoopFigures.Run(spec, Names.Ensemble).Rounds, reports, Names.Ensemble);
    }

    [Fact]
    public async Task A_shard_that_lost_its_users_mid_run_fails_the_round_with_a_clear_error()
    {
        var (_, coordinator, runId) = await Register("lost-shard", Names.Random);
        await coordinator.RunRound(0);

        await RoundByRound.Deactivate(fixture.Cluster.Client.GetGrain<IShardGrain>(GrainKeys.Shard(runId, Names.Random, 2)));
        var error = await Assert.ThrowsAnyAsync<Exception>(() => coordinator.RunRound(1));

        Assert.Contains($"shard '{GrainKeys.Shard(runId, Names.Random, 2)}' was reactivated at round 1", error.Message);
    }
}
