using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using StackExchange.Redis;
using Orleans.Configuration;

namespace MultiAgentRec.Hosting;

/// <summary>Configures an Orleans silo for MultiAgentRec: the standalone silo and the client's embedded one share it.</summary>
public static class SiloHosting
{
    /// <summary>
    /// Every message is bounded by a shard (see <see cref="Simulation.ScenarioLimits"/>), so a call that
    /// has not answered in this long was lost (a silo dropped it): fail in seconds, not minutes.
    /// The two calls that legitimately take long (a whole arm's round, a training update) carry their
    /// own longer [ResponseTimeout] on their interfaces.
    /// </summary>
    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Adds a silo with the world cache and telemetry. Clustering and storage follow the settings:
    /// Redis membership and grain storage when <see cref="SiloSettings.Redis"/> is set (silos on
    /// several machines; a run's spec outlives any one silo), localhost clustering with in-memory
    /// storage otherwise (joined to a primary silo when <see cref="SiloSettings.PrimarySiloPort"/> is set).
    /// </summary>
    /// <param name="configure">More silo configuration from the host program (e.g. Orleans' dashboard, which only the standalone silo serves).</param>
    public static IHostApplicationBuilder AddMultiAgentRecSilo(this IHostApplicationBuilder builder, SiloSettings settings, Action<ISiloBuilder>? configure = null)
    {
        builder.UseOrleans(silo =>
        {
            if (settings.Redis is { } redis)
            {
                silo.UseRedisClustering(o => o.ConfigurationOptions = RedisOptions(redis));
                silo.AddRedisGrainStorageAsDefault(o => o.ConfigurationOptions = RedisOptions(redis));
                silo.Configure<ClusterOptions>(o => { o.ClusterId = settings.ClusterId; o.ServiceId = settings.ServiceId; });
                silo.Configure<EndpointOptions>(o =>
                {
                    o.AdvertisedIPAddress = settings.AdvertisedAddress;
                    o.SiloPort = settings.SiloPort;
                    o.GatewayPort = settings.GatewayPort;
                    // Listen where we advertise: loopback stays loopback unless an address is configured.
                    o.SiloListeningEndpoint = new IPEndPoint(settings.AdvertisedAddress, settings.SiloPort);
                    o.GatewayListeningEndpoint = new IPEndPoint(settings.AdvertisedAddress, settings.GatewayPort);
                });
            }
            else
            {
                var primary = settings.PrimarySiloPort is { } p && p != settings.SiloPort ? new IPEndPoint(IPAddress.Loopback, p) : null;
                silo.UseLocalhostClustering(settings.SiloPort, settings.GatewayPort, primary, settings.ServiceId, settings.ClusterId);
                silo.AddMemoryGrainStorageAsDefault();
            }
            silo.Configure<SiloMessagingOptions>(o => o.ResponseTimeout = CallTimeout);
            configure?.Invoke(silo);
        });
        AddMultiAgentRecServices(builder.Services);
        builder.AddMultiAgentRecMetrics(settings.MetricsPort, settings.MetricsHost, settings.ServiceName, settings.InstanceId);
        return builder;
    }

    /// <summary>The services every MultiAgentRec silo needs (the world and proposer caches, shard placement); test clusters call it too.</summary>
    public static IServiceCollection AddMultiAgentRecServices(IServiceCollection services)
    {
        services.AddSingleton<WorldCache>();
        services.AddSingleton<ProposerCache>();
        services.AddPlacementDirector<ShardPlacement, ShardPlacementDirector>();
        return services;
    }

    /// <summary>StackExchange.Redis options for "HOST:PORT": keep retrying while Redis starts rather than fail the silo at once.</summary>
    public static ConfigurationOptions RedisOptions(string endpoint)
    {
        var options = ConfigurationOptions.Parse(endpoint);
        options.AbortOnConnectFail = false;
        return options;
    }

    /// <summary>
    /// Exports the MultiAgentRec and Microsoft.Orleans meters at http://{host}:{port}/metrics.
    /// A busy port is reported and skipped: a simulation should not fail because a dashboard port is taken.
    /// </summary>
    public static IHostApplicationBuilder AddMultiAgentRecMetrics(this IHostApplicationBuilder builder, int port, string host, string serviceName, string instanceId)
    {
        if (port <= 0) return builder;
        if (!PortIsFree(port))
        {
            Console.Error.WriteLine($"warning: metrics port {port} is in use; /metrics is off for this process (choose another with --metrics-port).");
            return builder;
        }
        // Created by the container (which disposes its meter) when the host starts, before any scrape.
        builder.Services.AddSingleton(_ => new ScrapeWatcher(port));
        builder.Services.AddHostedService<ScrapeWatcherActivation>();
        builder.Services.AddOpenTelemetry()
            // Exported as target_info{service_name, service_instance_id}: which program and which silo a series came from.
            .ConfigureResource(r => r.AddService(serviceName, serviceInstanceId: instanceId))
            .WithMetrics(metrics => metrics
            .AddMeter(Telemetry.MeterName, Telemetry.OrleansMeterName, ScrapeWatcher.MeterNameFor(port))
            .AddMultiAgentRecBuckets()
            .AddPrometheusHttpListener(o =>
            {
                o.Host = host;
                o.Port = port;
                o.ScrapeEndpointPath = "/metrics";
            }));
        return builder;
    }

    /// <summary>A free TCP port on loopback, for embedded silos and tests.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Whether a TCP port on loopback can be listened on now.</summary>
    public static bool PortIsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>Keeps Orleans' own start-up chatter out of a user's terminal unless asked for.</summary>
    public static void QuietLogging(ILoggingBuilder logging, LogLevel level)
    {
        logging.ClearProviders();
        logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; });
        // Logs go to stderr so that stdout carries only results (tables, JSON) and can be piped.
        logging.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        logging.SetMinimumLevel(level);
        // Orleans warns at start-up about things a simulation user cannot act on (GC mode, watchdog);
        // a quiet run shows only its errors.
        logging.AddFilter("Orleans", level <= LogLevel.Information ? LogLevel.Warning : LogLevel.Error);
        logging.AddFilter("Microsoft", level < LogLevel.Warning ? LogLevel.Warning : level);
        // Polly logs every placement retry attempt at Information: noise for a simulation's operator.
        logging.AddFilter("Polly", LogLevel.Warning);
        // A start-up failure is reported by the program in one line; the host's own trace only when verbose.
        if (level > LogLevel.Information) logging.AddFilter("Microsoft.Extensions.Hosting", LogLevel.None);
    }
}
