using MultiAgentRec.Hosting;
using Orleans.Configuration;
using Orleans.TestingHost;

namespace MultiAgentRec.IntegrationTests;

/// <summary>A 3-silo in-process cluster, for the promise that a run's figures do not depend on how many silos play it.</summary>
public sealed class ThreeSiloFixture : IAsyncLifetime
{
    public InProcessTestCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(3);
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
public sealed class ThreeSiloCollection : ICollectionFixture<ThreeSiloFixture>
{
    public const string Name = "three-silos";
}
