using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MultiAgentRec.Client;
using MultiAgentRec.Hosting;

namespace MultiAgentRec.IntegrationTests;

public sealed class FinalScrapeTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mar-scrape-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task An_embedded_run_keeps_metrics_up_until_a_scrape_has_seen_its_last_round()
    {
        var scenario = Path.Combine(_dir, "scrape.yaml");
        File.WriteAllText(scenario, """
            name: scrape-test
            rounds: 20
            catalog: { items: 40 }
            users: { count: 4000 }
            agents: [ { id: eps, kind: epsilon-greedy }, { id: pg, kind: reinforce } ]
            trainer: { device: cpu }
            arms: [ensemble, random]
            """);
        var port = SiloHosting.FreePort();
        var outDir = Path.Combine(_dir, "out");
        var stderr = new StringWriter();
        var run = Task.Run(() => new Cli(new StringWriter(), stderr).ExecuteAsync(["run", scenario, "--metrics-port", $"{port}", "--scrape-wait", "30", "--out", outDir, "--quiet"]));

        // A scraper like Prometheus: every 4 s, keeping the last body it got (the run lasts a few seconds). Without the wait the
        // process would stop /metrics up to 4 s before the next scrape and the last body would be stale.
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        string? last = null;
        while (!run.IsCompleted)
        {
            try { last = await http.GetStringAsync($"http://localhost:{port}/metrics"); }
            catch (HttpRequestException) { }   // not up yet, or already down
            // Poll until the endpoint is up (the run is short), then scrape every 4 s.
            await Task.WhenAny(run, Task.Delay(last is null ? 100 : 4000));
        }
        Assert.True(await run == ExitCodes.Success, stderr.ToString());
        Assert.True(last is not null, $"no scrape succeeded while the run went on; its output:\n{stderr}");
        Assert.True(stderr.ToString().Contains("Waiting up to 30 s for a last scrape", StringComparison.Ordinal), $"the run did not wait for a last scrape; its output:\n{stderr}");

        // The last scrape saw every training update of this run (labelled with its run id).
        var summary = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json")))!;
        var runId = Regex.Match(File.ReadAllText(Path.Combine(outDir, "report.md")), @"Run `([^`]+)`").Groups[1].Value;
        var scraped = Regex.Matches(last!, $@"^multiagentrec_training_updates_total\{{[^}}]*run=""{Regex.Escape(runId)}""[^}}]*\}} (\d+)", RegexOptions.Multiline)
            .Sum(m => long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));
        Assert.Equal((long)summary["training"]!["updates"]!, scraped);
    }
}
