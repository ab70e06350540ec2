using System.Diagnostics;
using MultiAgentRec.Hosting;

namespace MultiAgentRec.IntegrationTests;

public sealed class OrleansDashboardTests
{
    [Fact]
    public async Task Standalone_silo_serves_the_Orleans_dashboard_on_loopback_when_given_a_port()
    {
#if DEBUG
        const string configuration = "Debug";
#else
        const string configuration = "Release";
#endif
        // The solution's build builds the silo beside the tests.
        var dll = Path.Combine(TestScenarios.RepoRoot(), "Silo", "bin", configuration, "net10.0", "MultiAgentRec.Silo.dll");
        Assert.True(File.Exists(dll), $"no silo at {dll}: build the solution (dotnet build MultiAgentRec.sln)");
        var dashboard = SiloHosting.FreePort();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[] { dll, "--silo-port", $"{SiloHosting.FreePort()}", "--gateway-port", $"{SiloHosting.FreePort()}", "--metrics-port", "0", "--dashboard-port", $"{dashboard}" })
            start.ArgumentList.Add(a);
        using var silo = Process.Start(start)!;
        try
        {
            var up = await ReadUntil(silo.StandardError, "Silo up", TimeSpan.FromMinutes(2));
            Assert.Contains($"Orleans dashboard http://127.0.0.1:{dashboard}/", up);
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            var page = await http.GetStringAsync($"http://127.0.0.1:{dashboard}/");
            Assert.Contains("<title>Orleans Dashboard</title>", page);
        }
        finally
        {
            silo.Kill(entireProcessTree: true);
            await silo.WaitForExitAsync();
        }
    }

    private static async Task<string> ReadUntil(StreamReader reader, string marker, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var seen = new System.Text.StringBuilder();
        while (await reader.ReadLineAsync(cts.Token) is { } line)
        {
            seen.AppendLine(line);
            if (line.Contains(marker, StringComparison.Ordinal)) return seen.ToString();
        }
        throw new InvalidOperationException($"the silo exited before '{marker}':\n{seen}");
    }
}
