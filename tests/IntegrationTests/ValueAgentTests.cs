using MultiAgentRec.Agents;
using MultiAgentRec.Client.Runs;
using MultiAgentRec.Contracts;
using MultiAgentRec.Coordination;
using MultiAgentRec.Hosting;
using MultiAgentRec.Simulation;

namespace MultiAgentRec.IntegrationTests;

/// <summary>DQN and SlateQ through the whole cluster: shards → trainer grain → agent grain → shards.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ValueAgentTests(ClusterFixture fixture)
{
    // A stationary-enough world of the test's own: 300 items, 5 segments, 1,000 users, 32 rounds;
    // tiny networks (the defaults: 32 hidden, 16-dimensional towers) so a run takes seconds on CPU.
    private static string LearningScenario(int seed) => $"""
        name: value-learning-{seed}
        seed: {seed}
        rounds: 32
        slateSize: 5
        catalog: {"{"} items: 300, topics: 8, embeddingDim: 12 {"}"}
        users: {"{"} count: 1000, segments: 5 {"}"}
        agents:
          - {"{"} id: dqn, kind: dqn {"}"}
          - {"{"} id: sq, kind: slateq {"}"}
        trainer: {"{"} device: cpu {"}"}
        arms: [solo:dqn, solo:sq, random, oracle]
        """;

    // Seed 21 is the one the step defaults (learningRate, stepsPerUpdate) were chosen on; seed 5 was
    // never used for tuning. Measured (fraction of the random→oracle gap closed, last quarter):
    // seed 21: DQN 0.69, SlateQ 0.68; seed 5: DQN 0.69, SlateQ 0.78.
    [Theory]
    [InlineData(21)]
    [InlineData(5)]
    public async Task Dqn_and_SlateQ_each_close_at_least_half_of_the_random_to_oracle_gap(int seed)
    {
        var spec = TestScenarios.Parse(LearningScenario(seed));
        var result = await new ScenarioRunner(fixture.Cluster.Client).RunAsync(spec);

        var from = RunSummary.LastQuarterStart(spec.Rounds);
        double Ctr(string arm) => RunSummary.Compute(result.Rounds[arm], spec.Catalog.Items, from).ExpectedCtr;
        double random = Ctr(Names.Random), oracle = Ctr(Names.Oracle), dqn = Ctr("solo:dqn"), slateQ = Ctr("solo:sq");
        var gap = oracle - random;
        var figures = $"seed {seed}: random {random:F4}, oracle {oracle:F4}, dqn {dqn:F4} ({(dqn - random) / gap:P0} of the gap), slateq {slateQ:F4} ({(slateQ - random) / gap:P0})";

        // Why half the gap shows learning. Each arm's last-quarter expectedCtr is a mean over U users
        // of per-user averages in [0, 1]; by Hoeffding it strays from its expectation by more than
        // ε = √(ln(2/δ) / (2U)) with probability at most δ. An agent that learned nothing proposes
        // items unrelated to the user, whose expectation is random's; so with δ = 0.001 per arm its
        // measured lead over random stays below 2ε (≈ 0.124 for U = 1,000). The criterion (the
        // issue's: half the gap) is only meaningful when half the gap exceeds that, checked first.
        const double delta = 0.001;
        var epsilon = Math.Sqrt(Math.Log(2 / delta) / (2 * spec.Users.Count));
        Assert.True(gap / 2 > 2 * epsilon, $"half the gap {gap / 2:F4} is within sampling noise 2ε = {2 * epsilon:F4}; {figures}");
        Assert.True(dqn - random >= gap / 2, $"DQN closed less than half the gap; {figures}");
        Assert.True(slateQ - random >= gap / 2, $"SlateQ closed less than half the gap; {figures}");
        Assert.True(dqn < oracle && slateQ < oracle, figures);

        // Updates ran in the trainer grain, which pushed every version back: round 0 has no next state,
        // so the first transitions (and the first update) come with round 1.
        Assert.Equal("cpu", result.Training.Device);
        Assert.True(double.IsFinite(result.Training.LastLoss), $"last loss {result.Training.LastLoss}");
        foreach (var (arm, id) in new[] { ("solo:dqn", "dqn"), ("solo:sq", "sq") })
        {
            var agent = fixture.Cluster.Client.GetGrain<IValueAgentGrain>(GrainKeys.Agent(result.RunId, arm, id));
            Assert.Equal(spec.Rounds - 1, await agent.GetPolicyVersion());
        }
    }

    [Fact]
    public async Task A_deactivated_value_agent_comes_back_with_its_snapshot_and_proposes_the_same()
    {
        var spec = TestScenarios.Parse("""
            name: value-persistence
            seed: 4
            rounds: 4
            slateSize: 3
            catalog: { items: 60, topics: 4, embeddingDim: 6 }
            users: { count: 150, segments: 3 }
            agents:
              - { id: dqn, kind: dqn, stepsPerUpdate: 4 }
              - { id: sq, kind: slateq, stepsPerUpdate: 4 }
            trainer: { device: cpu }
            arms: [solo:dqn, solo:sq]
            """);
        var result = await new ScenarioRunner(fixture.Cluster.Client).RunAsync(spec);
        var world = new World(spec);
        var users = Enumerable.Range(0, 40).Select(i => new SimulatedUser(world, i)).ToArray();

        foreach (var agentSpec in spec.Agents)
        {
            var arm = Names.SoloPrefix + agentSpec.Id;
            var grain = fixture.Cluster.Client.GetGrain<IValueAgentGrain>(GrainKeys.Agent(result.RunId, arm, agentSpec.Id));
            var before = await grain.GetModel(spec.Rounds);
            Assert.Equal(spec.Rounds - 1, before.Version);

            await RoundByRound.Deactivate(grain);
            // A fresh activation without the stored snapshot would be back at version 0 and refuse round 4.
            var after = await grain.GetModel(spec.Rounds);

            Assert.Equal(before.Version, after.Version);
            Assert.Equal(before.Policy!.Tensors.Select(t => t.Name), after.Policy!.Tensors.Select(t => t.Name));
            for (var i = 0; i < before.Policy.Tensors.Length; i++) Assert.Equal(before.Policy.Tensors[i].Values, after.Policy.Tensors[i].Values);
            var streamKey = CandidateProposers.StreamKey(arm, agentSpec.Id);
            var first = Propose(world, agentSpec, streamKey, before, users);
            var second = Propose(world, agentSpec, streamKey, after, users);
            Assert.Equal(first.Items, second.Items);
            Assert.Equal(first.Scores, second.Scores);
        }
    }

    [Fact]
    public async Task A_cluster_run_of_value_agents_equals_the_in_process_tight_loop()
    {
        // Several shards per arm on two silos, reporting to the trainer in any order: the trainer orders
        // experience by (round, shard), so replay, updates and every figure match one in-process loop.
        var spec = TestScenarios.Parse("""
            name: value-determinism
            seed: 8
            rounds: 5
            slateSize: 3
            catalog: { items: 50, topics: 4, embeddingDim: 6 }
            users: { count: 300, segments: 3, shardSize: 70 }
            agents:
              - { id: dqn, kind: dqn, stepsPerUpdate: 4, batchSize: 64 }
              - { id: sq, kind: slateq, stepsPerUpdate: 4, batchSize: 64 }
            trainer: { device: cpu, threads: 1 }
            arms: [ensemble, solo:dqn, solo:sq]
            """);
        var result = await new ScenarioRunner(fixture.Cluster.Client).RunAsync(spec);

        // Unlike REINFORCE's, these agents' trained parameters are the same bits in both runs (one thread), so weights are exact.
        foreach (var arm in spec.Arms)
            TightLoopFigures.AssertSame(TightLoopFigures.Run(spec, arm).Rounds, result.Rounds[arm], arm, weightTolerance: 0);
    }

    [Fact]
    public async Task A_value_agent_added_by_an_event_joins_the_ensemble_at_its_round()
    {
        // Its grain is first called at round 2: it must take that as its start, not as a lost activation.
        var spec = TestScenarios.Parse("""
            name: value-joins
            seed: 3
            rounds: 5
            catalog: { items: 50, topics: 4, embeddingDim: 6 }
            users: { count: 300, segments: 3, shardSize: 100 }
            agents:
              - { id: ts, kind: thompson }
              - { id: dqn, kind: dqn, stepsPerUpdate: 4, batchSize: 64 }
            events:
              - { round: 2, addAgent: dqn }
            trainer: { device: cpu, threads: 1 }
            arms: [ensemble]
            """);
        var result = await new ScenarioRunner(fixture.Cluster.Client).RunAsync(spec);

        var rounds = result.Rounds[Names.Ensemble];
        Assert.Equal(spec.Rounds, rounds.Length);
        Assert.All(rounds.Take(2), r => Assert.Equal(0, r.Weights.Single(w => w.AgentId == "dqn").Weight));
        Assert.All(rounds.Skip(2), r => Assert.True(r.Weights.Single(w => w.AgentId == "dqn").Weight > 0));
    }

    private static CandidateSet Propose(World world, AgentSpec agent, ulong streamKey, AgentModel model, SimulatedUser[] users)
    {
        var output = new CandidateSet(users.Length, world.Spec.CandidatesPerAgent);
        CandidateProposers.From(world, agent, streamKey, model).Propose(model.Round, users, output);
        return output;
    }
}
