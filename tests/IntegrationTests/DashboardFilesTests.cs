using System.Net;
using System.Text.Json.Nodes;

namespace MultiAgentRec.IntegrationTests;

/// <summary>The Grafana dashboard (docker) and the Prometheus console page (eng/cluster.sh, tested in a browser) show the same panels.</summary>
public sealed class DashboardFilesTests
{
    [Fact]
    public void Grafana_dashboard_queries_are_the_console_pages_queries()
    {
        var root = TestScenarios.RepoRoot();
        var grafana = JsonNode.Parse(File.ReadAllText(Path.Combine(root, "monitoring", "grafana", "multiagentrec.json")))!;
        // The page quotes queries in JavaScript strings; compare with the HTML-decoded text.
        var console = WebUtility.HtmlDecode(File.ReadAllText(Path.Combine(root, "monitoring", "consoles", "multiagentrec.html")));
        var panels = grafana["panels"]!.AsArray();
        Assert.Equal(8, panels.Count);
        foreach (var panel in panels)
            foreach (var target in panel!["targets"]!.AsArray())
            {
                var expr = (string)target!["expr"]!;
                Assert.True(console.Contains($"\"{expr}\"", StringComparison.Ordinal), $"Grafana panel '{panel["title"]}' queries {expr}, which the console page does not");
            }
        foreach (var panel in panels)
            Assert.Contains($">{(string)panel!["title"]!}<", console);
    }
}
