using System.Text.Json.Nodes;
using MultiAgentRec.Client.Runs;
using MultiAgentRec.Client.Scenarios;
using MultiAgentRec.Contracts;

namespace MultiAgentRec.UnitTests;

public sealed class ReportTests
{
    // summary.json rounds every rate to 6 decimals, so a value read back is within half of 1e-6.
    private const double SummaryRounding = 0.5e-6;

    private static SimulationSpec Spec()
    {
        var result = ScenarioLoader.Parse("""
            name: report
            seed: 9
            rounds: 4
            catalog: {items: 10}
            slateSize: 3
            agents:
              - {id: a, kind: thompson}
              - {id: b, kind: epsilon-greedy}
            arms: [ensemble, random]
            """, "test.yaml");
        Assert.True(result.Ok, string.Join(Environment.NewLine, result.Problems));
        return result.Spec!;
    }

    private static RoundReport Round(string arm, int round, int slates, int clicks, double expected, double regret, double ndcg,
        double diversity, double engagement, int[] items, AgentWeight[]? weights = null) =>
        new(arm, round, slates, clicks, expected, regret, ndcg, diversity, engagement, items, weights ?? [], SessionsEnded: 0, Seconds: 0.5);

    // Every sum below is a multiple of 1/2, exact in binary; IEEE division is correctly rounded, so each
    // rate is exactly the double nearest the decimal written in the assertions.
    private static RoundReport[] Ensemble() =>
    [
        Round(Names.Ensemble, 0, 10, 2, 1.5, 2.5, 8, 4, 3, [0, 1, 2], [new("a", 0.5, 1), new("b", 0.5, 1)]),
        Round(Names.Ensemble, 1, 10, 3, 2.5, 1.5, 9, 5, 4, [2, 3]),
        Round(Names.Ensemble, 2, 10, 4, 3, 1, 9, 5, 5, [3, 4]),
        Round(Names.Ensemble, 3, 10, 5, 4, 0.5, 9.5, 6, 7, [5], [new("a", 0.7, 4), new("b", 0.3, 1)]),
    ];

    private static RoundReport[] RandomArm() =>
    [
        Round(Names.Random, 0, 8, 1, 1, 4, 4, 6, 1, [0, 5, 6, 7, 8, 9]),
        Round(Names.Random, 1, 8, 0, 1, 4, 4, 6, 0, [1, 2]),
        Round(Names.Random, 2, 0, 0, 0, 0, 0, 0, 0, []),
        Round(Names.Random, 3, 4, 2, 2, 1, 2, 3, 2, [9]),
    ];

    private static RunResult Result(TrainingReport? training = null) => new(
        "run-1",
        Spec(),
        new Dictionary<string, RoundReport[]> { [Names.Ensemble] = Ensemble(), [Names.Random] = RandomArm() },
        training ?? new TrainingReport("cpu", Updates: 12, Samples: 3000, TrainingSeconds: 1.5, LastLoss: 0.125),
        WallSeconds: 2.5);

    [Fact]
    public void Metrics_are_per_slate_rates_of_the_round_sums()
    {
        var m = RunSummary.Compute(Ensemble(), catalogSize: 10);

        // 40 slates, 14 clicks; sums 11, 5.5, 35.5, 20, 19; items 0..5 shown out of 10.
        Assert.Equal(40, m.Slates);
        Assert.Equal(0.35, m.Ctr);
        Assert.Equal(0.275, m.ExpectedCtr);
        Assert.Equal(0.1375, m.Regret);
        Assert.Equal(0.8875, m.Ndcg);
        Assert.Equal(0.6, m.Coverage);
        Assert.Equal(0.5, m.Diversity);
        Assert.Equal(0.475, m.Engagement);
    }

    [Fact]
    public void Metrics_from_a_first_round_count_only_the_rounds_from_it()
    {
        var m = RunSummary.Compute(Ensemble(), catalogSize: 10, firstRound: 3);

        Assert.Equal(new ArmMetrics(0.5, 0.4, 0.05, 0.95, 0.1, 0.6, 0.7, 10), m);
    }

    [Fact]
    public void Metrics_of_no_slates_are_zero_not_nan()
    {
        var m = RunSummary.Compute([Round(Names.Random, 0, 0, 0, 0, 0, 0, 0, 0, [])], catalogSize: 10);

        Assert.Equal(new ArmMetrics(0, 0, 0, 0, 0, 0, 0, 0), m);
    }

    [Theory]
    [InlineData(40, 30)]
    [InlineData(3, 2)]
    [InlineData(1, 0)]
    [InlineData(4, 3)]
    [InlineData(5, 3)] // the last ⌈5/4⌉ = 2 rounds
    public void Last_quarter_is_the_last_ceiling_quarter_of_the_rounds(int rounds, int start)
    {
        Assert.Equal(start, RunSummary.LastQuarterStart(rounds));
    }

    [Fact]
    public void Summary_json_has_the_documented_fields_and_values()
    {
        var result = Result();

        // Round-trip through text: what is checked is what summary.json holds.
        var json = JsonNode.Parse(ReportWriter.Summary(result).ToJsonString())!;

        Assert.Equal("report", (string?)json["scenario"]);
        Assert.Equal(9, (int?)json["seed"]);
        Assert.Equal(4, (int?)json["rounds"]);
        Assert.Equal(3, (int?)json["lastQuarterFromRound"]);
        // 40 ensemble slates + 20 random ones, over 2.5 s.
        Assert.Equal(60, (long?)json["userSteps"]);
        Assert.Equal(2.5, (double)json["wallSeconds"]!);
        Assert.Equal(60 / 2.5, (double)json["userStepsPerSecond"]!, SummaryRounding);

        var arms = json["arms"]!.AsObject();
        Assert.Equal([Names.Ensemble, Names.Random], arms.Select(kv => kv.Key).Order());
        string[] fields = ["ctr", "expectedCtr", "regret", "ndcg", "coverage", "diversity", "engagement"];
        foreach (var (_, arm) in arms)
            foreach (var field in fields)
                Assert.NotNull(arm![field]);

        var ensemble = arms[Names.Ensemble]!;
        double[] expectedAll = [0.35, 0.275, 0.1375, 0.8875, 0.6, 0.5, 0.475];
        for (var i = 0; i < fields.Length; i++) Assert.Equal(expectedAll[i], (double)ensemble[fields[i]]!, SummaryRounding);

        // The random arm: 20 slates, 3 clicks; sums 4, 9, 10, 15, 3; items {0, 1, 2, 5, 6, 7, 8, 9}.
        var random = arms[Names.Random]!;
        double[] expectedRandom = [0.15, 0.2, 0.45, 0.5, 0.8, 0.75, 0.15];
        for (var i = 0; i < fields.Length; i++) Assert.Equal(expectedRandom[i], (double)random[fields[i]]!, SummaryRounding);

        // Last quarter: round 3 only.
        var lastEnsemble = json["lastQuarter"]![Names.Ensemble]!;
        double[] expectedLast = [0.5, 0.4, 0.05, 0.95, 0.1, 0.6, 0.7];
        for (var i = 0; i < fields.Length; i++) Assert.Equal(expectedLast[i], (double)lastEnsemble[fields[i]]!, SummaryRounding);
        var lastRandom = json["lastQuarter"]![Names.Random]!;
        double[] expectedLastRandom = [0.5, 0.5, 0.25, 0.5, 0.1, 0.75, 0.5];
        for (var i = 0; i < fields.Length; i++) Assert.Equal(expectedLastRandom[i], (double)lastRandom[fields[i]]!, SummaryRounding);

        // Agents: kind and the weight of the ensemble's last round.
        var agents = json["agents"]!;
        Assert.Equal(Names.Thompson, (string?)agents["a"]!["kind"]);
        Assert.Equal(0.7, (double)agents["a"]!["finalWeight"]!, SummaryRounding);
        Assert.Equal(Names.EpsilonGreedy, (string?)agents["b"]!["kind"]);
        Assert.Equal(0.3, (double)agents["b"]!["finalWeight"]!, SummaryRounding);

        var training = json["training"]!;
        Assert.Equal("cpu", (string?)training["device"]);
        Assert.Equal(12, (long?)training["updates"]);
        Assert.Equal(3000, (long?)training["samples"]);
        Assert.Equal(3000 / 1.5, (double)training["samplesPerSecond"]!, SummaryRounding);
        Assert.Equal(0.125, (double)training["lastLoss"]!, SummaryRounding);
    }

    [Fact]
    public void Summary_json_writes_null_for_a_loss_never_computed_and_zero_rate_without_training_time()
    {
        var result = Result(new TrainingReport("none", 0, 0, 0, double.NaN));

        var json = JsonNode.Parse(ReportWriter.Summary(result).ToJsonString())!;

        // NaN is not valid JSON: a run without gradient steps must still write a parsable summary.
        var training = json["training"]!.AsObject();
        Assert.True(training.ContainsKey("lastLoss"));
        Assert.Null(training["lastLoss"]);
        Assert.Equal(0, (double)training["samplesPerSecond"]!);
    }

    [Fact]
    public void Write_all_writes_a_summary_json_that_parses_to_the_same_document()
    {
        var result = Result();
        var directory = Path.Combine(Path.GetTempPath(), $"mar-report-{Guid.NewGuid():N}");
        try
        {
            ReportWriter.WriteAll(result, directory);

            var written = JsonNode.Parse(File.ReadAllText(Path.Combine(directory, "summary.json")))!;
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(ReportWriter.Summary(result).ToJsonString()), written));
            Assert.True(File.Exists(Path.Combine(directory, "metrics.csv")));
            Assert.True(File.Exists(Path.Combine(directory, "agent-weights.csv")));
            Assert.True(File.Exists(Path.Combine(directory, "report.md")));
        }
        finally
        {
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
    }
}
