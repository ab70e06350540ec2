using System.Text.Json.Nodes;
using MultiAgentRec.Client;

namespace MultiAgentRec.IntegrationTests;

public sealed class EvaluateCliTests : IDisposable
{
    private const string Header = ",item_id,position,click,propensity_score";
    private readonly string _dir = Directory.CreateTempSubdirectory("mar-eval-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static Task<(int Code, string Out, string Err)> Run(params string[] args) => CliHarness.Run(args);

    /// <summary>Writes a file under the test's folder, creating subfolders (a log and its item_context.csv share one).</summary>
    private string Write(string relativePath, string text)
    {
        var path = Path.Combine(_dir, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    private static void AssertOneLineBadInput((int Code, string Out, string Err) result, string fileAndLine, string problem)
    {
        Assert.Equal(ExitCodes.BadInput, result.Code);
        var line = Assert.Single(result.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(fileAndLine, line);
        Assert.Contains(problem, line);
    }

    [Fact]
    public async Task Missing_column_names_the_file_and_the_header_line()
    {
        var path = Write("nocol.csv", ",item_id,position,click\n0,0,1,0\n");
        AssertOneLineBadInput(await Run("evaluate", path, "--policy", "uniform"), $"{path}:1:", "missing column 'propensity_score'");
    }

    [Theory]
    [InlineData("0", "propensity_score must be in (0, 1]")]
    [InlineData("1.5", "propensity_score must be in (0, 1]")]
    [InlineData("-0.2", "propensity_score must be in (0, 1]")]
    [InlineData("abc", "propensity_score must be a number")]
    public async Task Zero_or_out_of_range_propensity_names_the_file_and_row(string propensity, string problem)
    {
        // The bad value is on the third data row, line 4 of the file.
        var path = Write("prop.csv", $"{Header}\n0,0,1,0,0.5\n1,1,1,1,0.5\n2,1,2,0,{propensity}\n");
        AssertOneLineBadInput(await Run("evaluate", path, "--policy", "uniform"), $"{path}:4:", problem);
    }

    [Fact]
    public async Task Mismatched_item_counts_between_log_and_item_context_are_bad_input()
    {
        var path = Write("mismatch/log.csv", $"{Header},user-item_affinity_0,user-item_affinity_1\n0,0,1,0,0.5,0,0\n");
        var items = Write("mismatch/item_context.csv", ",item_id,item_feature_0\n0,0,1\n1,1,2\n2,2,3\n");
        AssertOneLineBadInput(await Run("evaluate", path, "--policy", "uniform"), items, "mismatched item counts: 3 items");
    }

    [Fact]
    public async Task Item_outside_the_catalog_and_short_rows_are_bad_input_with_their_line()
    {
        var path = Write("range/log.csv", $"{Header}\n0,0,1,0,0.5\n1,5,1,0,0.5\n");
        Write("range/item_context.csv", ",item_id\n0,0\n1,1\n");
        AssertOneLineBadInput(await Run("evaluate", path, "--policy", "uniform"), $"{path}:3:", "item_id 5 is out of range");

        var shortRow = Write("short.csv", $"{Header}\n0,0,1,0\n");
        AssertOneLineBadInput(await Run("evaluate", shortRow, "--policy", "uniform"), $"{shortRow}:2:", "4 fields, but the header has 5");
    }

    [Fact]
    public async Task Bad_arguments_and_missing_files_are_bad_input()
    {
        var path = Write("ok.csv", $"{Header}\n0,0,1,0,0.5\n");
        Assert.Equal(ExitCodes.BadInput, (await Run("evaluate", path)).Code);
        Assert.Equal(ExitCodes.BadInput, (await Run("evaluate", path, "--policy", "greedy")).Code);
        Assert.Equal(ExitCodes.BadInput, (await Run("evaluate", path, "--policy", "uniform", "--estimators", "ipw,magic")).Code);
        Assert.Equal(ExitCodes.BadInput, (await Run("evaluate", path, "--policy", "uniform", "--bootstrap", "0")).Code);
        AssertOneLineBadInput(await Run("evaluate", Path.Combine(_dir, "nope.csv"), "--policy", "uniform"), "nope.csv", "file not found");
        Assert.Equal(ExitCodes.BadInput, (await Run("simulate-logs", Path.Combine(_dir, "nope.yaml"))).Code);
        Assert.Equal(ExitCodes.BadInput, (await Run("simulate-logs", "x.yaml", "--epsilon", "0")).Code);
    }

    [Fact]
    public async Task Simulated_log_evaluation_writes_every_estimate_with_its_interval_and_error_against_the_truth()
    {
        var scenario = Write("sim.yaml", """
            name: sim
            seed: 5
            catalog: { items: 15, topics: 3, embeddingDim: 6 }
            users: { count: 200 }
            arms: [random]
            """);
        var logs = Path.Combine(_dir, "simlog");
        var (simCode, _, simErr) = await Run("simulate-logs", scenario, "--out", logs, "--rows", "2000");
        Assert.True(simCode == ExitCodes.Success, simErr);

        var outDir = Path.Combine(_dir, "eval");
        var (code, output, err) = await Run("evaluate", Path.Combine(logs, "interactions.csv"), "--policy", "bts", "--out", outDir, "--bootstrap", "200", "--bts-samples", "20000");
        Assert.True(code == ExitCodes.Success, err);
        Assert.Contains("True value", output);

        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "evaluation.json")))!;
        Assert.Equal("bts", (string?)json["policy"]);
        Assert.Equal(2000, (int)json["rows"]!);
        var truth = (double)json["truth"]!;
        foreach (var name in new[] { "ipw", "snipw", "dm", "dr", "sndr", "switch-dr" })
        {
            var e = json["estimates"]![name]!;
            var value = (double)e["value"]!;
            var ci = e["ci"]!.AsArray();
            Assert.True((double)ci[0]! <= (double)ci[1]!, name);
            // Both are rounded to 8 decimals in the file, so their difference is within 1.5e-8 of the error.
            Assert.Equal(value - truth, (double)e["error"]!, 1.5e-8);
        }
    }
}
