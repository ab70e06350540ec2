using MultiAgentRec.Grains;
using MultiAgentRec.Contracts;
using MultiAgentRec.Hosting;

namespace MultiAgentRec.IntegrationTests;

/// <summary>A bandit agent's learned state survives Orleans deactivating its grain mid-run.</summary>
[Collection(ClusterCollection.Name)]
public sealed class BanditStateTests(ClusterFixture fixture)
{
    // Every non-contextual kind in one ensemble, with position-bias correction (the default), 3 shards.
    private const string Scenario = """
        name: bandit-state
        seed: 23
        rounds: 6
        slateSize: 4
        catalog: { items: 60, topics: 4, embeddingDim: 8 }
        users: { count: 300, segments: 3, shardSize: 100 }
        agents:
          - { id: eps, kind: epsilon-greedy, epsilonDecay: 0.5 }
          - { id: ts, kind: thompson }
          - { id: ucb, kind: ucb1 }
          - { id: kl, kind: kl-ucb }
        arms: [ensemble]
        """;

    [Fact]
    public async Task Bandit_agents_deactivated_mid_run_come_back_with_what_they_learned_and_the_run_goes_on_unchanged()
    {
        var spec = TestScenarios.Parse(Scenario);
        var client = fixture.Cluster.Client;
        var (coordinator, runId) = await RoundByRound.Register(client, spec, "bandit-state", Names.Ensemble);
        var agents = spec.Agents.Select(a => AgentGrains.Get(client, a.Kind, GrainKeys.Agent(runId, Names.Ensemble, a.Id))).ToArray();

        // After round 2 the agents hold round 2's feedback, not yet folded in: only the write on deactivation has it.
        var reports = await RoundByRound.Play(coordinator, spec.Rounds, deactivateBefore: 3, agents);

        // The same figures as the tight loop that never lost anything: the same proposals every round.
        TightLoopFigures.AssertSame(TightLoopFigures.Run(spec, Names.Ensemble).Rounds, reports, Names.Ensemble);

        // A model asked again after a deactivation is rebuilt from the stored state, not relearned.
        var last = spec.Rounds - 1;
        foreach (var agent in agents)
        {
            var before = (await agent.GetModel(last)).Bandit!;
            await RoundByRound.Deactivate(agent);
            var after = (await agent.GetModel(last)).Bandit!;
            Assert.Equal(before.Items, after.Items);
            Assert.Equal(before.Means, after.Means);
            Assert.Equal(before.Alphas, after.Alphas);
            Assert.Equal(before.Betas, after.Betas);
            Assert.Equal(before.RowMeans, after.RowMeans);
        }
    }

    [Fact]
    public async Task A_bandit_agent_missing_part_of_a_rounds_feedback_fails_with_a_clear_error()
    {
        var spec = TestScenarios.Parse(Scenario);
        var runId = $"bandit-lost-{Guid.NewGuid():N}";
        var client = fixture.Cluster.Client;
        await client.GetGrain<IRunGrain>(runId).Register(spec);
        var key = GrainKeys.Agent(runId, Names.Ensemble, "ts");
        var agent = client.GetGrain<IThompsonSamplingAgentGrain>(key);

        // Round 0's model, then one shard's feedback of the three: round 1 would learn from a third of a round.
        await agent.GetModel(0);
        await agent.Observe(new SegmentClickFeedback(0, 0, [5], [3], [1], [0]));
        var error = await Assert.ThrowsAnyAsync<Exception>(() => agent.GetModel(1));

        Assert.Contains($"agent '{key}' was asked for round 1", error.Message);
        Assert.Contains("1 of 3 shards' feedback of round 0", error.Message);
    }
}
