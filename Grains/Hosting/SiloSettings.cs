using System.Net;
using Microsoft.Extensions.Configuration;

namespace MultiAgentRec.Hosting;

/// <summary>Where a silo listens, how it finds the rest of its cluster, and where it exports metrics.</summary>
public sealed record SiloSettings
{
    public string ClusterId { get; init; } = "multiagentrec";
    public string ServiceId { get; init; } = "multiagentrec";
    public int SiloPort { get; init; } = 11111;
    public int GatewayPort { get; init; } = 30000;

    /// <summary>
    /// Localhost clustering only: the silo port of the cluster's primary silo. Without it every
    /// process is its own one-silo cluster; with it, several local processes form one cluster.
    /// Null means this silo is the primary.
    /// </summary>
    public int? PrimarySiloPort { get; init; }

    /// <summary>Redis clustering and grain storage ("HOST:PORT"); null keeps localhost clustering and in-memory storage.</summary>
    public string? Redis { get; init; }

    /// <summary>
    /// The address other silos and clients use to reach this one (Redis clustering). Loopback by
    /// default so that nothing is exposed beyond this machine unless asked for.
    /// </summary>
    public IPAddress AdvertisedAddress { get; init; } = IPAddress.Loopback;

    /// <summary>Port of the Prometheus /metrics endpoint; 0 turns it off.</summary>
    public int MetricsPort { get; init; } = 9464;
    /// <summary>Host name the metrics endpoint binds ("localhost", or "+" for every interface).</summary>
    public string MetricsHost { get; init; } = "localhost";

    /// <summary>OpenTelemetry's service.name of this process's series.</summary>
    public string ServiceName { get; init; } = "multiagentrec-silo";

    /// <summary>Reads the "Orleans" and "Metrics" configuration sections over the defaults.</summary>
    public static SiloSettings From(IConfiguration configuration)
    {
        var d = new SiloSettings();
        var advertised = configuration["Orleans:AdvertisedAddress"];
        return new SiloSettings
        {
            ClusterId = configuration["Orleans:ClusterId"] ?? d.ClusterId,
            ServiceId = configuration["Orleans:ServiceId"] ?? d.ServiceId,
            SiloPort = configuration.GetValue("Orleans:SiloPort", d.SiloPort),
            GatewayPort = configuration.GetValue("Orleans:GatewayPort", d.GatewayPort),
            PrimarySiloPort = configuration.GetValue<int?>("Orleans:PrimarySiloPort"),
            Redis = ClusterAddress.RedisEndpoint(configuration["Orleans:Cluster"]),
            AdvertisedAddress = advertised is null ? d.AdvertisedAddress : Resolve(advertised),
            MetricsPort = configuration.GetValue("Metrics:Port", d.MetricsPort),
            MetricsHost = configuration["Metrics:Host"] ?? d.MetricsHost,
        };
    }

    /// <summary>
    /// An IP address, or a host name resolved to its first IPv4 address: in a container the
    /// silo's own service name ("silo1") is the address its peers can reach.
    /// </summary>
    private static IPAddress Resolve(string address)
    {
        if (IPAddress.TryParse(address, out var ip)) return ip;
        try
        {
            var all = Dns.GetHostAddresses(address);
            return all.FirstOrDefault(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork) ?? all.First();
        }
        catch (Exception ex) when (ex is System.Net.Sockets.SocketException or InvalidOperationException)
        {
            throw new InvalidOperationException($"Orleans:AdvertisedAddress '{address}' is neither an IP address nor a host name that resolves", ex);
        }
    }

    /// <summary>The id this silo's series carry as service.instance.id: one per silo process of a cluster.</summary>
    public string InstanceId => $"{Dns.GetHostName()}:{SiloPort}";
}
