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
    private readonly string _dir = Directory.CreateTempSubdirectory("mar-warm-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Scenario(string agents, string arms) => $$"""
        name: warm-start
        seed: 11
        rounds: {{Rounds}}
        slateSize: 1
        catalog: { items: 60, topics: 5, embeddingDim: 8 }
        users: { count: {{Users}}, segments: 4 }
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

        // Margin: over the first rounds each arm's expected CTR is a mean over U users of per-user
        // averages in [0, 1]; by Hoeffding it strays more than ε = √(ln(2/δ) / (2U)) from its
        // expectation with probability ≤ δ. Both arms may stray, so a gap above 2ε (δ = 0.001,
        // U = 1000: ≈ 0.123) is the warm start's doing, not the users'.
        var margin = 2 * Math.Sqrt(Math.Log(2 / 0.001) / (2 * Users));
        var warmFirst = ExpectedCtr(warm.Take(FirstRounds));
        var coldFirst = ExpectedCtr(cold.Take(FirstRounds));
        Assert.True(warmFirst - coldFirst > margin, $"first {FirstRounds} rounds: warm {warmFirst:F4} vs cold {coldFirst:F4}, gap below {margin:F4}");

        // Still learning: the trainer updated the warm agent every round and pushed each version back,
        // and the updates did not undo the head start (last quarter still above cold's first rounds by the margin).
        var agent = fixture.Cluster.Client.GetGrain<IReinforceAgentGrain>(Hosting.GrainKeys.Agent(result.RunId, "solo:warm", "warm"));
        Assert.Equal(Rounds, await agent.GetPolicyVersion());
        var warmLast = ExpectedCtr(warm.Skip(RunSummary.LastQuarterStart(Rounds)));
        Assert.True(warmLast - coldFirst > margin, $"warm's last quarter {warmLast:F4} fell back toward a cold start ({coldFirst:F4})");
    }
}
