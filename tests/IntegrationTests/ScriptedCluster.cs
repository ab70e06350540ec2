using System.Diagnostics;
using MultiAgentRec.Hosting;

namespace MultiAgentRec.IntegrationTests;

/// <summary>
/// A cluster of real processes started by eng/cluster.sh: redis-server, three silos and
/// Prometheus, on free loopback ports, with its logs, PID files and the tests' screenshots in
/// the test output folder. The tests need the real programs: eng/install-tools.sh installs them
/// (CI runs it first); when they are missing the start fails with the script's message.
/// </summary>
public sealed class ScriptedCluster : IAsyncLifetime
{
    public const int Silos = 3;

    public string Dir { get; } = Path.Combine(AppContext.BaseDirectory, "cluster-test", DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", System.Globalization.CultureInfo.InvariantCulture));
    public int RedisPort { get; private set; }
    public int PrometheusPort { get; private set; }
    public int FirstMetricsPort { get; private set; }
    public string StartOutput { get; private set; } = "";

    public string RedisAddress => $"redis://127.0.0.1:{RedisPort}";
    public IEnumerable<int> MetricsPorts => Enumerable.Range(FirstMetricsPort, Silos);

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Dir);
        RedisPort = FreeRange(1);
        PrometheusPort = FreeRange(1);
        var siloPort = FreeRange(Silos);
        var gatewayPort = FreeRange(Silos);
        FirstMetricsPort = FreeRange(Silos);
#if DEBUG
        const string configuration = "Debug";
#else
        const string configuration = "Release";
#endif
        var (code, output) = await Script(TimeSpan.FromMinutes(5), "up", "--silos", Silos.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--redis-port", $"{RedisPort}", "--prometheus-port", $"{PrometheusPort}", "--silo-port", $"{siloPort}",
            "--gateway-port", $"{gatewayPort}", "--metrics-port", $"{FirstMetricsPort}", "--configuration", configuration);
        StartOutput = output;
        if (code != 0)
        {
            await Script(TimeSpan.FromMinutes(1), "down");
            throw new InvalidOperationException($"eng/cluster.sh up failed ({code}):\n{output}");
        }
    }

    public async Task DisposeAsync() => await Script(TimeSpan.FromMinutes(1), "down");

    /// <summary>Runs eng/cluster.sh with this cluster's folder; returns its exit code and output.</summary>
    public async Task<(int Code, string Output)> Script(TimeSpan timeout, params string[] args)
    {
        var start = new ProcessStartInfo(Path.Combine(TestScenarios.RepoRoot(), "eng", "cluster.sh"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = TestScenarios.RepoRoot(),
        };
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["MULTIAGENTREC_CLUSTER_DIR"] = Dir;
        return await Run(start, timeout);
    }

    /// <summary>Runs a program to its end (killing it after <paramref name="timeout"/>); returns its exit code and stdout + stderr.</summary>
    public static async Task<(int Code, string Output)> Run(ProcessStartInfo start, TimeSpan timeout, string? stdin = null)
    {
        start.RedirectStandardOutput = start.RedirectStandardError = true;
        start.RedirectStandardInput = stdin is not null;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {start.FileName}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
            process.StandardInput.Close();
        }
        using var cts = new CancellationTokenSource(timeout);
        try { await process.WaitForExitAsync(cts.Token); }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{start.FileName} {string.Join(' ', start.ArgumentList)} did not finish in {timeout}");
        }
        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>The PIDs that eng/cluster.sh recorded, by file name (redis, silo-1, ..., prometheus).</summary>
    public Dictionary<string, int> Pids() => Directory.GetFiles(Dir, "*.pid")
        .ToDictionary(f => Path.GetFileNameWithoutExtension(f), f => int.Parse(File.ReadAllText(f).Trim(), System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>The first of <paramref name="count"/> consecutive loopback ports that are all free now.</summary>
    private static int FreeRange(int count)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            // Below Linux's ephemeral range (32768–60999), where FreePort's ports for the other
            // tests' embedded silos come from: a port picked here is not taken by them meanwhile.
            var first = Random.Shared.Next(20000, 32000 - count);
            if (Enumerable.Range(first, count).All(SiloHosting.PortIsFree)) return first;
        }
        throw new InvalidOperationException($"no {count} consecutive free ports found");
    }
}
