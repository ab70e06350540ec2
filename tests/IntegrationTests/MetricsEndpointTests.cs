using MultiAgentRec.Client.Hosting;
using MultiAgentRec.Client.Runs;
using MultiAgentRec.Hosting;

namespace MultiAgentRec.IntegrationTests;

public sealed class MetricsEndpointTests
{
    [Fact]
    public async Task Embedded_silo_serves_MultiAgentRec_and_Orleans_series_at_metrics_over_http()
    {
        var port = SiloHosting.FreePort();
        await using var cluster = await ClusterConnection.StartEmbeddedAsync(port, Microsoft.Extensions.Logging.LogLevel.Warning);
        var spec = TestScenarios.Parse("""
            name: metrics-test
            rounds: 3
            catalog: { items: 30 }
            users: { count: 100 }
            agents: [ { id: eps, kind: epsilon-greedy }, { id: ts, kind: thompson } ]
            arms: [ensemble, random]
            """);
        await new ScenarioRunner(cluster.Grains).RunAsync(spec);

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var body = await http.GetStringAsync($"http://localhost:{port}/metrics");

        Assert.Contains("multiagentrec_recommendations_total{", body);
        Assert.Contains("arm=\"ensemble\"", body);
        Assert.Contains("multiagentrec_clicks_total{", body);
        Assert.Contains("multiagentrec_agent_weight{", body);
        Assert.Contains("multiagentrec_agent_reward_total{", body);
        Assert.Contains("multiagentrec_user_step_duration_seconds_bucket", body);
        Assert.Contains("multiagentrec_users_active", body);
        // Orleans' own meter is exported beside ours.
        Assert.Contains("orleans_", body);
        // 100 users × 3 rounds were shown in the ensemble arm. Instruments are process-wide and other
        // tests in this process run ensemble arms too, so the count is at least ours.
        var match = System.Text.RegularExpressions.Regex.Match(body, "multiagentrec_recommendations_total\\{[^}]*arm=\"ensemble\"[^}]*\\} (\\d+)");
        Assert.True(match.Success, "no ensemble recommendations series");
        Assert.True(long.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) >= 300);
    }
}
