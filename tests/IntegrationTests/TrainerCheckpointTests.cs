using MultiAgentRec.Client.Runs;
using MultiAgentRec.Contracts;
using MultiAgentRec.Grains;
using MultiAgentRec.Hosting;
using MultiAgentRec.Training;

namespace MultiAgentRec.IntegrationTests;

/// <summary>
/// <c>trainer.checkpoint</c> and <c>trainer.resume</c>: a run saves every learner after each update, and
/// a restarted run starts its agents and learners from those files; an agent's policy is grain state.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class TrainerCheckpointTests(ClusterFixture fixture) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mar-ckpt-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private const string Scenario = """
        name: checkpoint-test
        seed: 9
        rounds: 3
        slateSize: 3
        catalog: { items: 40, topics: 4, embeddingDim: 8 }
        users: { count: 150, segments: 3 }
        agents:
          - { id: eps, kind: epsilon-greedy }
          - { id: pg, kind: reinforce, hiddenSize: 16, embeddingSize: 8 }
          - { id: q, kind: dqn, hiddenSize: 16, embeddingSize: 8, batchSize: 32, stepsPerUpdate: 2 }
        trainer: { device: cpu, epochs: 1, minibatchSize: 64 }
        arms: [ensemble, solo:pg]
        """;

    [Fact]
    public async Task A_restarted_run_resumes_its_agents_and_learners_from_the_checkpoints()
    {
        var folder = Path.Combine(_dir, "ckpt");
        var spec = TestScenarios.Parse(Scenario);
        spec = spec with { Trainer = spec.Trainer with { Checkpoint = folder } };
        var grains = fixture.Cluster.Client;
        var first = await new ScenarioRunner(grains).RunAsync(spec);
        foreach (var arm in new[] { Names.Ensemble, "solo:pg" })
            Assert.True(File.Exists(TrainerCheckpoints.PathFor(folder, arm, "pg")), $"no checkpoint for {arm}");
        var trained = await grains.GetGrain<IReinforceAgentGrain>(GrainKeys.Agent(first.RunId, Names.Ensemble, "pg")).GetModel(spec.Rounds);
        Assert.Equal(spec.Rounds, trained.Version);
        // The DQN agent's learner too; its first update only stores transitions, so it is one version behind.
        Assert.True(File.Exists(TrainerCheckpoints.PathFor(folder, Names.Ensemble, "q")), "no checkpoint for the dqn agent");
        var trainedQ = await grains.GetGrain<IValueAgentGrain>(GrainKeys.Agent(first.RunId, Names.Ensemble, "q")).GetModel(spec.Rounds);
        Assert.Equal(spec.Rounds - 1, trainedQ.Version);

        // The restarted run: registered by hand so its agent can be asked before round 0.
        var resumed = spec with { Trainer = spec.Trainer with { Resume = true } };
        var runId = $"resume-{Guid.NewGuid():N}";
        await grains.GetGrain<IRunGrain>(runId).Register(resumed);
        var agent = grains.GetGrain<IReinforceAgentGrain>(GrainKeys.Agent(runId, Names.Ensemble, "pg"));
        var start = await agent.GetModel(0);
        Assert.Equal(trained.Version, start.Version);
        Assert.Equal(trained.Policy!.Tensors.SelectMany(t => t.Values), start.Policy!.Tensors.SelectMany(t => t.Values));
        var agentQ = grains.GetGrain<IValueAgentGrain>(GrainKeys.Agent(runId, Names.Ensemble, "q"));
        var startQ = await agentQ.GetModel(0);
        Assert.Equal(trainedQ.Version, startQ.Version);
        Assert.Equal(trainedQ.Policy!.Tensors.SelectMany(t => t.Values), startQ.Policy!.Tensors.SelectMany(t => t.Values));

        // One round: the trainer's learner went on from the checkpoint's version, and pushed it.
        await grains.GetGrain<ICoordinatorGrain>(GrainKeys.Arm(runId, Names.Ensemble)).RunRound(0);
        Assert.Equal(spec.Rounds + 1, await agent.GetPolicyVersion());
        // The DQN learner resumed with its replay and last round, so this round already trains it.
        Assert.Equal(spec.Rounds, await agentQ.GetPolicyVersion());

        // Without resume, the same scenario starts from the seed's parameters at version 0.
        var fresh = $"fresh-{Guid.NewGuid():N}";
        await grains.GetGrain<IRunGrain>(fresh).Register(spec);
        Assert.Equal(0, await grains.GetGrain<IReinforceAgentGrain>(GrainKeys.Agent(fresh, Names.Ensemble, "pg")).GetPolicyVersion());
    }

    [Fact]
    public async Task An_agent_keeps_its_trained_policy_across_a_deactivation()
    {
        var spec = TestScenarios.Parse(Scenario);
        var grains = fixture.Cluster.Client;
        var run = await new ScenarioRunner(grains).RunAsync(spec);
        var agent = grains.GetGrain<IReinforceAgentGrain>(GrainKeys.Agent(run.RunId, "solo:pg", "pg"));
        var before = await agent.GetModel(spec.Rounds);

        // Collect every idle activation, this agent's included; the next call activates it afresh.
        await grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        // The collection did happen: a shard, whose users live only in memory, refuses to go on.
        var shard = grains.GetGrain<IShardGrain>(GrainKeys.Shard(run.RunId, Names.Ensemble, 0));
        await Assert.ThrowsAnyAsync<InvalidOperationException>(() => shard.RunRound(new ShardRoundRequest(spec.Rounds, [])));
        var after = await agent.GetModel(spec.Rounds);
        Assert.Equal(before.Version, after.Version);
        Assert.Equal(before.Policy!.Tensors.SelectMany(t => t.Values), after.Policy!.Tensors.SelectMany(t => t.Values));
    }

    [Theory]
    [InlineData("pg")]
    [InlineData("q")]
    public async Task A_fresh_agent_refuses_a_later_round_until_the_trainer_pushes_it_a_snapshot(string id)
    {
        var spec = TestScenarios.Parse(Scenario);
        var kind = spec.Agents.Single(a => a.Id == id).Kind;
        var grains = fixture.Cluster.Client;
        var (source, target) = ($"push-source-{Guid.NewGuid():N}", $"push-target-{Guid.NewGuid():N}");
        await grains.GetGrain<IRunGrain>(source).Register(spec);
        await grains.GetGrain<IRunGrain>(target).Register(spec);
        var pushed = (await AgentGrains.Get(grains, kind, GrainKeys.Agent(source, Names.Ensemble, id)).GetModel(0)).Policy! with { Version = 2 };
        var key = GrainKeys.Agent(target, Names.Ensemble, id);
        var agent = AgentGrains.Get(grains, kind, key);

        // Asked first for round 2, a fresh agent would start over from the seed's parameters mid-run: refused.
        var error = await Assert.ThrowsAnyAsync<InvalidOperationException>(() => agent.GetModel(2));
        Assert.Contains("was reactivated at round 2", error.Message);
        // Given a snapshot, it holds what an agent reactivated from its stored snapshot holds, and serves any round with it.
        await AgentGrains.SetPolicy(grains, kind, key, pushed);
        var model = await agent.GetModel(2);
        Assert.Equal(2, model.Version);
        Assert.Equal(pushed.Tensors.SelectMany(t => t.Values), model.Policy!.Tensors.SelectMany(t => t.Values));
    }
}
