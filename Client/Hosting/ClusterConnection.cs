using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MultiAgentRec.Hosting;
using Orleans.Configuration;

namespace MultiAgentRec.Client.Hosting;

/// <summary>A cluster to run on: an embedded silo in this process, or a client connected to running silos.</summary>
public sealed class ClusterConnection : IAsyncDisposable
{
    private readonly IHost _host;

    private ClusterConnection(IHost host, string description, int? metricsPort)
    {
        _host = host;
        Description = description;
        MetricsPort = metricsPort;
    }

    public IGrainFactory Grains => _host.Services.GetRequiredService<IGrainFactory>();
    public string Description { get; }

    /// <summary>The port of this process's /metrics endpoint, when it has one.</summary>
    public int? MetricsPort { get; }

    /// <summary>The watcher of this process's /metrics scrapes, when it serves /metrics.</summary>
    public ScrapeWatcher? Scrapes => _host.Services.GetService<ScrapeWatcher>();

    /// <summary>
    /// Starts a silo inside this process on free loopback ports (so it never collides with a
    /// standalone silo), with in-memory storage and /metrics on <paramref name="metricsPort"/> (0 = off).
    /// </summary>
    public static async Task<ClusterConnection> StartEmbeddedAsync(int metricsPort, LogLevel logLevel, CancellationToken cancellationToken = default)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], ContentRootPath = AppContext.BaseDirectory });
        SiloHosting.QuietLogging(builder.Logging, logLevel);
        var settings = new SiloSettings
        {
            ClusterId = "embedded",
            SiloPort = SiloHosting.FreePort(),
            GatewayPort = SiloHosting.FreePort(),
            MetricsPort = metricsPort,
            // The embedded silo's series come from the client program.
            ServiceName = "multiagentrec-client",
        };
        builder.AddMultiAgentRecSilo(settings);
        var host = builder.Build();
        await host.StartAsync(cancellationToken);
        return new ClusterConnection(host, "embedded silo", metricsPort > 0 ? metricsPort : null);
    }

    /// <summary>Connects to running silos through the given gateways ("host:port").</summary>
    public static Task<ClusterConnection> ConnectAsync(IReadOnlyList<IPEndPoint> gateways, string clusterId, string serviceId, LogLevel logLevel, CancellationToken cancellationToken = default) =>
        ConnectAsync(client => client.UseStaticClustering(gateways.ToArray()), $"cluster '{clusterId}' via {string.Join(", ", gateways)}", clusterId, serviceId, logLevel, cancellationToken);

    /// <summary>Connects to the silos that Redis lists as members of the cluster (<paramref name="redis"/> is "HOST:PORT").</summary>
    public static Task<ClusterConnection> ConnectRedisAsync(string redis, string clusterId, string serviceId, LogLevel logLevel, CancellationToken cancellationToken = default) =>
        ConnectAsync(client => client.UseRedisClustering(o => o.ConfigurationOptions = SiloHosting.RedisOptions(redis)), $"cluster '{clusterId}' via Redis {redis}", clusterId, serviceId, logLevel, cancellationToken);

    private static async Task<ClusterConnection> ConnectAsync(Action<IClientBuilder> clustering, string description, string clusterId, string serviceId, LogLevel logLevel, CancellationToken cancellationToken)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], ContentRootPath = AppContext.BaseDirectory });
        SiloHosting.QuietLogging(builder.Logging, logLevel);
        builder.UseOrleansClient(client =>
        {
            clustering(client);
            client.Configure<ClusterOptions>(o => { o.ClusterId = clusterId; o.ServiceId = serviceId; });
            client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = SiloHosting.CallTimeout);
        });
        var host = builder.Build();
        await host.StartAsync(cancellationToken);
        return new ClusterConnection(host, description, null);
    }

    public async ValueTask DisposeAsync()
    {
        try { await _host.StopAsync(TimeSpan.FromSeconds(10)); }
        finally { _host.Dispose(); }
    }
}
