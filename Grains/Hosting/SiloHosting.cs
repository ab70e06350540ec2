using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using Orleans.Configuration;

namespace MultiAgentRec.Hosting;

/// <summary>Where a silo listens and exports metrics.</summary>
public sealed record SiloSettings
{
    public string ClusterId { get; init; } = "multiagentrec";
    public string ServiceId { get; init; } = "multiagentrec";
    public int SiloPort { get; init; } = 11111;
    public int GatewayPort { get; init; } = 30000;
    /// <summary>Port of the Prometheus /metrics endpoint; 0 turns it off.</summary>
    public int MetricsPort { get; init; } = 9464;
    /// <summary>Host name the metrics endpoint binds ("localhost", or "+" for every interface).</summary>
    public string MetricsHost { get; init; } = "localhost";

    /// <summary>Reads the "Orleans" and "Metrics" configuration sections over the defaults.</summary>
    public static SiloSettings From(IConfiguration configuration)
    {
        var d = new SiloSettings();
        return new SiloSettings
        {
            ClusterId = configuration["Orleans:ClusterId"] ?? d.ClusterId,
            ServiceId = configuration["Orleans:ServiceId"] ?? d.ServiceId,
            SiloPort = configuration.GetValue("Orleans:SiloPort", d.SiloPort),
            GatewayPort = configuration.GetValue("Orleans:GatewayPort", d.GatewayPort),
            MetricsPort = configuration.GetValue("Metrics:Port", d.MetricsPort),
            MetricsHost = configuration["Metrics:Host"] ?? d.MetricsHost,
        };
    }
}

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

    /// <summary>Adds a localhost-clustered silo with in-memory storage, the world cache and telemetry.</summary>
    public static IHostApplicationBuilder AddMultiAgentRecSilo(this IHostApplicationBuilder builder, SiloSettings settings)
    {
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(settings.SiloPort, settings.GatewayPort, serviceId: settings.ServiceId, clusterId: settings.ClusterId);
            silo.AddMemoryGrainStorageAsDefault();
            silo.Configure<SiloMessagingOptions>(o => o.ResponseTimeout = CallTimeout);
        });
        AddMultiAgentRecServices(builder.Services);
        builder.AddMultiAgentRecMetrics(settings.MetricsPort, settings.MetricsHost);
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

    /// <summary>
    /// Exports the MultiAgentRec and Microsoft.Orleans meters at http://{host}:{port}/metrics.
    /// A busy port is reported and skipped: a simulation should not fail because a dashboard port is taken.
    /// </summary>
    public static IHostApplicationBuilder AddMultiAgentRecMetrics(this IHostApplicationBuilder builder, int port, string host = "localhost")
    {
        if (port <= 0) return builder;
        if (!PortIsFree(port))
        {
            Console.Error.WriteLine($"warning: metrics port {port} is in use; /metrics is off for this process (choose another with --metrics-port).");
            return builder;
        }
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(Telemetry.MeterName, Telemetry.OrleansMeterName)
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

    private static bool PortIsFree(int port)
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
