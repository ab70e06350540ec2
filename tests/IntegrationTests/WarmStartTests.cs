using MultiAgentRec.Client.Runs;
using MultiAgentRec.Contracts;
using MultiAgentRec.Evaluation;
using MultiAgentRec.Simulation;
using MultiAgentRec.Training;

namespace MultiAgentRec.IntegrationTests;

[Collection(ClusterCollection.Name)]
public sealed class WarmStartTests(ClusterFixture fixture) : IDisposable
{
    private const int Users = 1000;
    private const int Rounds = 12;
    private const int FirstRounds = 2;
    private const int Shards = 20;

    /// <summary>t(0.999, 19): the one-sided δ = 0.001 quantile of Student's t with J − 1 = 19 degrees of freedom.</summary>
    private const double T999 = 3.5794;
    private readonly string _dir = Directory.CreateTempSubdirectory("mar-warm-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Scenario(string agents, string arms) => $$"""
        name: warm-start
        seed: 11
        rounds: {{Rounds}}
        slateSize: 1
        catalog: { items: 60, topics: 5, embeddingDim: 8 }
        users: { count: {{Users}}, segments: 4, shardSize: {{Users / Shards}} }
        agents:
        {{agents}}
        trainer: { device: cpu, epochs: 2, minibatchSize: 500 }
        arms: {{arms}}
        """;

    private static double ExpectedCtr(IEnumerable<RoundReport> rounds)
    {
        var list = rounds.ToList();
        return list.Sum(r => r.SumExpectedClick) / list.Sum(r => r.Slates);
    }

    [Fact]
    public async Task Agent_trained_offline_starts_ahead_of_a_cold_one_and_keeps_learning_online()
    {
        // Offline: a log of this world under a softmax logging policy, and the agent trained on it.
        var offline = TestScenarios.Parse(Scenario("  - { id: pg, kind: reinforce }", "[random]"));
        var log = BanditFeedbackReader.Read(SimulatedInteractionLog.Write(offline, 8000, new SimulatedInteractionLog.LoggingPolicy(), _dir));
        var saved = Path.Combine(_dir, "pg.bin");
        var (steps, _) = OfflineReinforceTraining.TrainAndSave(new World(offline), offline.Agents[0], log, OfflineReinforceTraining.Reinforce, epochs: 15, minibatchSize: 512, saved);
        Assert.True(steps > 0);

        // Online: the same agent kind, one cold and one starting from the file, each alone on identical users.
        var spec = TestScenarios.Parse(Scenario($"  - {{ id: cold, kind: reinforce }}\n  - {{ id: warm, kind: reinforce, warmStart: '{saved}' }}", "[solo:cold, solo:warm]"));
        Assert.Equal(saved, spec.Agents[1].WarmStart);
        var result = await new ScenarioRunner(fixture.Cluster.Client).RunAsync(spec);
        var cold = result.Rounds["solo:cold"];
        var warm = result.Rounds["solo:warm"];

        // Margin: both arms serve the same users in the same 20 shards with the same random streams, so
        // the paired per-shard bound (PairedShardBound: a one-sided Student-t on the shards'
        // differences, δ = 0.001) measures what the users' draw can do to the gap. It replaced
        // Hoeffding on two independent means (2·√(ln(2/δ)/(2U)) = 0.123 at U = 1,000), which pays for
        // the users twice: after a float-level change in the exact softmax (same loss and gradient to
        // 1e-6, SampledSoftmaxTests) the offline-trained agent's first rounds went from 0.2248 to
        // 0.1656 against cold's 0.0513, a gap of 0.114 that Hoeffding's 0.123 called noise. Neither
        // bound covers the other randomness that figure shows, the path offline training takes
        // (15 epochs amplify rounding into a different policy); the head start must hold on every path
        // seen, and it does by 0.11–0.17.
        var warmFirst = ExpectedCtr(warm.Take(FirstRounds));
        var coldFirst = ExpectedCtr(cold.Take(FirstRounds));
        var coldShards = RunSummary.ExpectedCtrByShard([.. cold.Take(FirstRounds)]);
        Assert.Equal(Shards, coldShards.Length);
        var (gap, margin) = PairedShardBound.Of(RunSummary.ExpectedCtrByShard([.. warm.Take(FirstRounds)]), coldShards, T999);
        Assert.True(gap > margin, $"first {FirstRounds} rounds: warm {warmFirst:F4} vs cold {coldFirst:F4}, gap {gap:F4} below the margin {margin:F4}");

        // Still learning: the trainer updated the warm agent every round and pushed each version back,
        // and the updates did not undo the head start (last quarter still above cold's first rounds by the margin).
        var agent = fixture.Cluster.Client.GetGrain<IReinforceAgentGrain>(Hosting.GrainKeys.Agent(result.RunId, "solo:warm", "warm"));
        Assert.Equal(Rounds, await agent.GetPolicyVersion());
        var warmLast = ExpectedCtr(warm.Skip(RunSummary.LastQuarterStart(Rounds)));
        var (held, heldMargin) = PairedShardBound.Of(RunSummary.ExpectedCtrByShard([.. warm.Skip(RunSummary.LastQuarterStart(Rounds))]), coldShards, T999);
        Assert.True(held > heldMargin, $"warm's last quarter {warmLast:F4} fell back toward a cold start ({coldFirst:F4}; gap {held:F4}, margin {heldMargin:F4})");
    }
}
