namespace MultiAgentRec.IntegrationTests;

/// <summary>
/// One in-process cluster of two silos for the whole collection: two silos so that grain calls
/// cross silo boundaries (messages are serialized, each silo rebuilds the world from the run grain).
/// </summary>
public sealed class ClusterFixture() : InProcessClusterFixture(2);

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}

/// <summary>Helpers shared by the integration tests.</summary>
internal static class TestScenarios
{
    public static Contracts.SimulationSpec Parse(string yaml)
    {
        var loaded = Client.Scenarios.ScenarioLoader.Parse(yaml, "test.yaml");
        Assert.True(loaded.Ok, string.Join("\n", loaded.Problems));
        return loaded.Spec!;
    }

    public static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "MultiAgentRec.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
    }
}
