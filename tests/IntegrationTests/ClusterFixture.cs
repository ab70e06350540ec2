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
    /// <summary>A one-slot world with a REINFORCE agent, small enough to log, train and evaluate offline in seconds.</summary>
    public const string OneSlotReinforce = """
        name: one-slot
        seed: 11
        slateSize: 1
        catalog: { items: 60, topics: 5, embeddingDim: 8 }
        users: { count: 400, segments: 4 }
        agents: [ { id: pg, kind: reinforce } ]
        arms: [random]
        """;

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
