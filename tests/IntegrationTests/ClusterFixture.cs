using Microsoft.Extensions.DependencyInjection;
using MultiAgentRec.Hosting;
using Orleans.Configuration;
using Orleans.TestingHost;

namespace MultiAgentRec.IntegrationTests;

/// <summary>
/// One in-process cluster of two silos for the whole collection: two silos so that grain calls
/// cross silo boundaries (messages are serialized, each silo rebuilds the world from the run grain).
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public InProcessTestCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(2);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddMemoryGrainStorageAsDefault();
            silo.Configure<SiloMessagingOptions>(o => o.ResponseTimeout = SiloHosting.CallTimeout);
        });
        builder.ConfigureSiloHost((_, host) => SiloHosting.AddMultiAgentRecServices(host.Services));
        builder.ConfigureClient(client => client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = SiloHosting.CallTimeout));
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

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
