using System.Text.Json.Nodes;
using MultiAgentRec.Client;

namespace MultiAgentRec.IntegrationTests;

public sealed class CliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mar-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static Task<(int Code, string Out, string Err)> Run(params string[] args) => CliHarness.Run(args);

    private string Write(string name, string yaml)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, yaml);
        return path;
    }

    private static void AssertNoStackTrace(string text) => Assert.DoesNotMatch(@"^\s+at \S+\(", text.Replace("\r", ""));

    [Fact]
    public async Task Unknown_agent_kind_is_bad_input_with_its_line_and_the_allowed_kinds()
    {
        var path = Write("bad-kind.yaml", "name: x\nagents:\n  - id: a\n    kind: dqn-ultra\n");
        var (code, _, err) = await Run("run", path, "--metrics-port", "0");
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains($"{path}:4:", err);
        Assert.Contains("dqn-ultra", err);
        Assert.Contains("epsilon-greedy", err);
        AssertNoStackTrace(err);
    }

    [Fact]
    public async Task Negative_sizes_are_all_reported_at_once_with_exit_code_2()
    {
        var path = Write("negative.yaml", "name: x\nslateSize: -1\nusers:\n  count: -5\nrounds: 0\nagents: [ { id: a, kind: thompson } ]\n");
        var (code, _, err) = await Run("run", path);
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains($"{path}:2:", err);
        Assert.Contains($"{path}:4:", err);
        Assert.Contains($"{path}:5:", err);
        Assert.Contains("3 problems found", err);
        AssertNoStackTrace(err);
    }

    [Fact]
    public async Task Malformed_yaml_is_bad_input_with_a_line_number()
    {
        var path = Write("malformed.yaml", "name: x\narms: [ensemble, random\nseed: 1\n");
        var (code, _, err) = await Run("run", path);
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Matches($"{System.Text.RegularExpressions.Regex.Escape(path)}:\\d+:\\d+: ", err);
        AssertNoStackTrace(err);
    }

    [Fact]
    public async Task A_scenario_too_big_for_this_machine_is_refused_before_anything_runs()
    {
        // Two billion users: users × arms × bytes per user overflows 32 bits; the estimate must not.
        var path = Write("huge.yaml", "name: huge\nusers: { count: 2000000000 }\nagents: [ { id: a, kind: thompson } ]\n");
        var (code, _, err) = await Run("run", path, "--metrics-port", "0");
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("needs an estimated", err);
        Assert.Contains("this machine allows", err);
        Assert.Contains("Nothing was run.", err);
        AssertNoStackTrace(err);
    }

    [Fact]
    public async Task Bench_smoke_run_writes_both_paths_figures()
    {
        var outDir = Path.Combine(_dir, "bench");
        var (code, stdout, err) = await Run("bench", "--users", "60", "--items", "30", "--rounds", "2", "--shard-size", "25", "--repeat", "1", "--out", outDir);
        Assert.True(code == ExitCodes.Success, err);
        Assert.Contains("ratio", stdout);
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "bench.json")))!;
        Assert.True(json["grainStepsPerSecond"]!.GetValue<double>() > 0);
        Assert.True(json["tightLoopStepsPerSecond"]!.GetValue<double>() > 0);
        Assert.True(json["ratio"]!.GetValue<double>() > 0);
        Assert.True(json["peakWorkingSetBytes"]!.GetValue<long>() > 0);
        Assert.Equal(60, json["workload"]!["users"]!.GetValue<int>());
    }

    [Fact]
    public async Task Bench_with_overlap_runs_both_paths_in_that_mode_and_says_so()
    {
        var outDir = Path.Combine(_dir, "bench-overlap");
        var (code, _, err) = await Run("bench", "--users", "60", "--items", "30", "--rounds", "3", "--shard-size", "25", "--repeat", "1", "--overlap", "--out", outDir);
        Assert.True(code == ExitCodes.Success, err);
        Assert.Contains("trainer.overlap", err);
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "bench.json")))!;
        Assert.True(json["workload"]!["overlap"]!.GetValue<bool>());
        Assert.True(json["grainStepsPerSecond"]!.GetValue<double>() > 0);
        Assert.True(json["tightLoopStepsPerSecond"]!.GetValue<double>() > 0);
    }

    [Fact]
    public async Task Bench_rejects_bad_options_with_exit_code_2()
    {
        foreach (var (args, message) in new[]
        {
            (new[] { "bench", "--users", "many" }, "error: --users needs a whole number >= 1, got 'many'"),
            (["bench", "--only", "both"], "error: --only needs 'grain' or 'tight', got 'both'"),
            (["bench", "--out", "--repeat", "2"], "error: --out needs a folder"),
            (["bench", "--frobnicate"], "error: unknown option '--frobnicate'"),
            (["bench", "trainer", "--items", "5"], "error: --items needs a whole number >= 6, got '5'"),
        })
        {
            var (code, _, err) = await Run(args);
            Assert.Equal(ExitCodes.BadInput, code);
            Assert.Contains(message, err);
            AssertNoStackTrace(err);
        }
    }

    [Fact]
    public async Task Missing_file_and_unknown_options_are_bad_input()
    {
        Assert.Equal(ExitCodes.BadInput, (await Run("run", Path.Combine(_dir, "nope.yaml"))).Code);
        Assert.Equal(ExitCodes.BadInput, (await Run("run", "x.yaml", "--frobnicate")).Code);
        Assert.Equal(ExitCodes.BadInput, (await Run("run", "x.yaml", "--metrics-port", "port")).Code);
        Assert.Equal(ExitCodes.BadInput, (await Run("launch")).Code);
        Assert.Equal(ExitCodes.BadInput, (await Run("validate", Path.Combine(_dir, "nope.yaml"))).Code);
    }

    [Fact]
    public async Task Every_command_has_help()
    {
        foreach (var args in new[] { new[] { "--help" }, ["run", "--help"], ["validate", "--help"], ["help", "run"], ["evaluate", "--help"], ["simulate-logs", "--help"], ["help", "evaluate"], ["train-offline", "--help"] })
        {
            var (code, output, _) = await Run(args);
            Assert.Equal(ExitCodes.Success, code);
            Assert.Contains("Usage", output);
        }
    }

    [Fact]
    public async Task Shipped_quickstart_validates()
    {
        var (code, output, _) = await Run("validate", Path.Combine(TestScenarios.RepoRoot(), "scenarios", "quickstart.yaml"));
        Assert.Equal(ExitCodes.Success, code);
        Assert.Contains("ok: scenario 'quickstart'", output);
    }

    [Fact]
    public async Task Run_writes_summary_metrics_and_report_through_every_layer()
    {
        var path = Write("small.yaml", """
            name: small
            rounds: 4
            catalog: { items: 40 }
            users: { count: 120 }
            agents:
              - { id: eps, kind: epsilon-greedy }
              - { id: ts, kind: thompson }
              - { id: pg, kind: reinforce }
            trainer: { device: cpu }
            """);
        var outDir = Path.Combine(_dir, "out");
        var (code, output, err) = await Run("run", path, "--out", outDir, "--metrics-port", "0", "--quiet");
        Assert.True(code == ExitCodes.Success, err);

        // One table row per arm: ensemble, three solos, random, oracle.
        foreach (var arm in new[] { "ensemble", "solo:eps", "solo:ts", "solo:pg", "random", "oracle" }) Assert.Contains(arm, output);

        var summary = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json")))!;
        Assert.Equal("small", (string?)summary["scenario"]);
        Assert.Equal(120L * 4 * 6, (long)summary["userSteps"]!);
        var wall = (double)summary["wallSeconds"]!;
        Assert.Equal((long)summary["userSteps"]! / wall, (double)summary["userStepsPerSecond"]!, 0.01 * (double)summary["userStepsPerSecond"]!);
        foreach (var field in new[] { "ctr", "expectedCtr", "regret", "ndcg", "coverage", "diversity", "engagement" })
        {
            Assert.NotNull(summary["arms"]!["ensemble"]![field]);
            Assert.NotNull(summary["lastQuarter"]!["oracle"]![field]);
        }
        Assert.Equal(0.0, (double)summary["arms"]!["oracle"]!["regret"]!, 9);
        Assert.Equal("reinforce", (string?)summary["agents"]!["pg"]!["kind"]);
        Assert.True((long)summary["training"]!["updates"]! > 0);

        var csv = File.ReadAllLines(Path.Combine(outDir, "metrics.csv"));
        Assert.Equal(1 + 4 * 6, csv.Length);
        Assert.StartsWith("round,arm,slates,clicks,ctr,expectedCtr", csv[0]);
        Assert.True(File.Exists(Path.Combine(outDir, "report.md")));
        Assert.True(File.Exists(Path.Combine(outDir, "agent-weights.csv")));

        // The figures are real PNG files, linked from the report.
        var report = File.ReadAllText(Path.Combine(outDir, "report.md"));
        foreach (var png in new[] { "learning-curves.png", "regret.png", "agent-weights.png" })
        {
            var bytes = File.ReadAllBytes(Path.Combine(outDir, png));
            Assert.True(bytes.Length > 5_000, $"{png} is only {bytes.Length} bytes");
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], bytes[..4]);
            Assert.Contains($"]({png})", report);
        }
    }
}
