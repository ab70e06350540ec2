using System.Text.Json.Nodes;
using MultiAgentRec.Client;

namespace MultiAgentRec.IntegrationTests;

/// <summary><c>bench trainer</c> on a tiny model: the JSON it writes, and the note when there is no PyTorch reference. Needs TorchSharp.</summary>
public sealed class TrainerBenchTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mar-trainer-bench-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Bench_trainer_writes_its_figures_and_says_why_the_reference_was_skipped()
    {
        var (code, stdout, stderr) = await CliHarness.Run("bench", "trainer", "--rows", "300", "--items", "40", "--repeat", "1",
            "--python", Path.Combine(_dir, "no-python"), "--out", _dir);
        Assert.True(code == ExitCodes.Success, stderr);
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(_dir, "trainer-bench.json")))!;
        Assert.Equal("cpu", json["device"]!.GetValue<string>());
        Assert.True(json["samplesPerSecond"]!.GetValue<double>() > 0);
        Assert.Equal(300, json["workload"]!["rows"]!.GetValue<int>());
        Assert.Null(json["pytorchSamplesPerSecond"]);
        Assert.Null(json["ratio"]);
        Assert.Contains("was not found", json["pytorchNote"]!.GetValue<string>());
        Assert.Contains("pytorch   skipped", stdout);
    }

    [Fact]
    public async Task Bench_trainer_refuses_an_unknown_device_in_one_line()
    {
        var (code, _, stderr) = await CliHarness.Run("bench", "trainer", "--device", "tpu");
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("--device needs 'cpu' or 'cuda', got 'tpu'", stderr);
    }
}
