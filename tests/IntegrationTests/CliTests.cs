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
    }
}
