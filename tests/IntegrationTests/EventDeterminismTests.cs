using MultiAgentRec.Client.Runs;
using MultiAgentRec.Contracts;

namespace MultiAgentRec.IntegrationTests;

[Collection(ThreeSiloCollection.Name)]
public sealed class EventDeterminismTests(ThreeSiloFixture fixture)
{
    // Every event type through the grains: a REINFORCE agent that joins the ensemble late (its agent
    // grain and the trainer's learner are first called at round 2), a bandit that leaves, a cohort
    // in three shards of its own (so they land on several silos), items arriving, tastes shifting.
    private const string Scenario = """
        name: events-determinism
        seed: 23
        rounds: 8
        slateSize: 4
        catalog: { items: 80, topics: 5, embeddingDim: 8 }
        users: { count: 300, segments: 4, shardSize: 90 }
        agents:
          - { id: eps, kind: epsilon-greedy }
          - { id: ts, kind: thompson }
          - { id: pg, kind: reinforce, hiddenSize: 16, embeddingSize: 8 }
        trainer: { device: cpu, epochs: 1, minibatchSize: 256, threads: 1 }
        arms: [ensemble, solo:pg, random, oracle]
        events:
          - { round: 2, preferenceShift: { segments: [0, 1] } }
          - { round: 2, addAgent: pg }
          - { round: 3, newItems: { count: 20 } }
          - { round: 3, cohort: { users: 200 } }
          - { round: 5, removeAgent: eps }
        """;

    [Fact]
    public async Task A_run_with_every_event_type_on_three_silos_gives_the_figures_of_the_tight_loop()
    {
        var spec = TestScenarios.Parse(Scenario);
        var result = await new ScenarioRunner(fixture.Cluster.Client).RunAsync(spec);

        foreach (var arm in spec.Arms)
        {
            var expected = TightLoopFigures.Run(spec, arm).Rounds;
            var actual = result.Rounds[arm];
            TightLoopFigures.AssertSame(expected, actual, arm);
            for (var r = 0; r < spec.Rounds; r++)
            {
                Assert.Equal(expected[r].Cohorts!.Select(c => (c.Slates, c.Clicks, Math.Round(c.SumExpectedClick, 9))),
                    actual[r].Cohorts!.Select(c => (c.Slates, c.Clicks, Math.Round(c.SumExpectedClick, 9))));
                // Items 60..79 arrive at round 3; the cohort's 200 users step from round 3 on.
                Assert.All(actual[r].ItemsShown, item => Assert.True(r >= 3 || item < 60, $"{arm} showed item {item} in round {r}"));
                Assert.Equal(r < 3 ? 300 : 500, actual[r].Slates);
            }
        }

        // pg proposes in the ensemble from round 2, eps stops at round 5; weights always sum to 1.
        var ensemble = result.Rounds[Names.Ensemble];
        Assert.All(ensemble, r => Assert.Equal(1, r.Weights.Sum(w => w.Weight), 9));
        Assert.All(ensemble, r => Assert.Equal(r.Round < 2, r.Weights.Single(w => w.AgentId == "pg").Weight == 0));
        Assert.All(ensemble, r => Assert.Equal(r.Round >= 5, r.Weights.Single(w => w.AgentId == "eps").Weight == 0));
        Assert.True(result.Training.Updates > 0);

        // summary.json: the cohort's CTR by interaction index, one entry per step its users took, per arm.
        var summary = ReportWriter.Summary(result);
        var cohort = summary["cohorts"]!.AsArray().Single()!;
        Assert.Equal(200, (int)cohort["users"]!);
        foreach (var arm in spec.Arms)
        {
            var curve = cohort["arms"]![arm]!["ctrByInteraction"]!.AsArray();
            Assert.Equal(spec.Rounds - 3, curve.Count);
            Assert.Equal((double)result.Rounds[arm][3].Cohorts![0].Clicks / 200, (double)curve[0]!, 6);
        }
        Assert.Equal(5, summary["events"]!.AsArray().Count);
        var directory = Path.Combine(TestScenarios.RepoRoot(), "runs", $"events-test-{Guid.NewGuid():N}");
        try
        {
            ReportWriter.WriteAll(result, directory);
            var report = File.ReadAllText(Path.Combine(directory, "report.md"));
            Assert.Contains("Cold-start cohort of round 3", report);
            Assert.Contains($"]({ReportPlots.CohortFile(0)})", report);
            Assert.True(new FileInfo(Path.Combine(directory, ReportPlots.CohortFile(0))).Length > 0);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
