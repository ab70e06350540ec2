using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MultiAgentRec.Hosting;
using MultiAgentRec.Training;
using Orleans.Dashboard;

// The standalone silo: localhost clustering and in-memory storage by default; every setting can
// come from appsettings.json, environment variables (Orleans__SiloPort, Metrics__Port, ...) or the
// friendly flags below.
const string help = """
    Usage: dotnet run --project Silo -- [options]

    Starts a MultiAgentRec silo that clients join with: dotnet run --project Client -- run <scenario> --gateway 127.0.0.1:<gateway-port>

    Options (defaults in parentheses; also settable in appsettings.json or as environment variables):
      --silo-port N       Silo-to-silo port (11111)                      Orleans__SiloPort
      --gateway-port N    Port clients connect to (30000)                 Orleans__GatewayPort
      --cluster-id ID     Cluster id (multiagentrec)                      Orleans__ClusterId
      --primary-port N    Localhost clustering: silo port of the primary silo to join (none:
                          this silo is the primary). Several local silos form one cluster.
                                                                      Orleans__PrimarySiloPort
      --cluster redis://HOST:PORT
                          Redis clustering and grain storage instead of localhost clustering:
                          silos on several machines form one cluster.  Orleans__Cluster
      --advertise IP|HOST Address this silo listens on and gives to others, with --cluster
                          (127.0.0.1: this machine only)                   Orleans__AdvertisedAddress
      --metrics-port N    Prometheus /metrics port, 0 = off (9464)        Metrics__Port
      --metrics-host H    Host the metrics endpoint binds (localhost; + = every interface)  Metrics__Host
      --dashboard-port N  Serve Orleans' own dashboard (grains, silos, calls) on this port;
                          off unless given                                 Dashboard__Port
      --dashboard-host H  Address the dashboard listens on (127.0.0.1)     Dashboard__Host
      -h, --help          Show this help.
    """;

if (args.Contains("-h") || args.Contains("--help"))
{
    Console.WriteLine(help);
    return 0;
}

var map = new Dictionary<string, string>
{
    ["--silo-port"] = "Orleans:SiloPort",
    ["--gateway-port"] = "Orleans:GatewayPort",
    ["--cluster-id"] = "Orleans:ClusterId",
    ["--primary-port"] = "Orleans:PrimarySiloPort",
    ["--cluster"] = "Orleans:Cluster",
    ["--advertise"] = "Orleans:AdvertisedAddress",
    ["--metrics-port"] = "Metrics:Port",
    ["--metrics-host"] = "Metrics:Host",
    ["--dashboard-port"] = "Dashboard:Port",
    ["--dashboard-host"] = "Dashboard:Host",
};
var hostArgs = new List<string>();
for (var i = 0; i < args.Length; i++)
{
    if (map.TryGetValue(args[i], out var key) && i + 1 < args.Length) { hostArgs.Add($"--{key}={args[++i]}"); continue; }
    Console.Error.WriteLine($"error: unknown or incomplete option '{args[i]}'. Run with --help for usage.");
    return 2;
}

// The trainer grain needs TorchSharp: say in one line why it cannot load rather than fail on the first update.
if (TorchRuntime.LoadError is { } torchError)
{
    Console.Error.WriteLine($"error: {torchError}");
    return 1;
}

// Orleans' dashboard is a web application: only then is the silo hosted by ASP.NET Core.
var configuration = new ConfigurationBuilder().AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
    .AddEnvironmentVariables().AddCommandLine(hostArgs.ToArray()).Build();
var dashboardPort = configuration.GetValue("Dashboard:Port", 0);
var dashboardHost = configuration["Dashboard:Host"] ?? "127.0.0.1";
IHostApplicationBuilder builder;
WebApplicationBuilder? web = null;
if (dashboardPort > 0)
{
    builder = web = WebApplication.CreateBuilder(hostArgs.ToArray());
    web.WebHost.UseUrls($"http://{dashboardHost}:{dashboardPort}");
}
else
{
    builder = Host.CreateApplicationBuilder(hostArgs.ToArray());
}
SiloHosting.QuietLogging(builder.Logging, LogLevel.Information);
SiloSettings settings;
try
{
    settings = SiloSettings.From(builder.Configuration);
}
catch (InvalidOperationException ex)
{
    Console.Error.WriteLine($"error: bad setting: {ex.Message}");
    return 2;
}
builder.AddMultiAgentRecSilo(settings, web is null ? null : silo => silo.AddDashboard());
IHost host;
if (web is not null)
{
    var app = web.Build();
    app.MapOrleansDashboard();
    host = app;
}
else
{
    host = ((HostApplicationBuilder)builder).Build();
}
using var _ = host;
try
{
    await host.StartAsync();
}
catch (Exception ex)
{
    Console.Error.WriteLine($"error: the silo could not start: {ex.GetBaseException().Message}");
    return 1;
}
Console.Error.WriteLine($"Silo up: cluster '{settings.ClusterId}'" + (settings.Redis is { } redis ? $" (Redis {redis})" : settings.PrimarySiloPort is { } primary ? $" (primary silo port {primary})" : "") + $", gateway port {settings.GatewayPort}, silo port {settings.SiloPort}"
    + (settings.MetricsPort > 0 ? $", metrics http://{settings.MetricsHost}:{settings.MetricsPort}/metrics" : "")
    + (dashboardPort > 0 ? $", Orleans dashboard http://{dashboardHost}:{dashboardPort}/" : "") + ". Ctrl+C stops it.");
await host.WaitForShutdownAsync();
return 0;
