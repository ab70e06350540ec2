using MultiAgentRec.Hosting;
using Orleans.Configuration;
using Orleans.TestingHost;

namespace MultiAgentRec.IntegrationTests;

/// <summary>An in-process cluster of <paramref name="silos"/> silos configured as the product's silos are, shared by a test collection.</summary>
public abstract class InProcessClusterFixture(int silos) : IAsyncLifetime
{
    public InProcessTestCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder((short)silos);
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
