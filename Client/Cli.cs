using System.Diagnostics;
using System.Globalization;
using System.Net;
using Microsoft.Extensions.Logging;
using MultiAgentRec.Client.Evaluation;
using MultiAgentRec.Client.Hosting;
using MultiAgentRec.Client.Runs;
using MultiAgentRec.Client.Scenarios;
using MultiAgentRec.Contracts;
using MultiAgentRec.Simulation;
using MultiAgentRec.Training;

namespace MultiAgentRec.Client;

/// <summary>Exit codes of every command.</summary>
public static class ExitCodes
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int BadInput = 2;
}

/// <summary>The command-line client: parses arguments, runs commands, turns errors into one clear line and an exit code.</summary>
public sealed class Cli(TextWriter stdout, TextWriter stderr)
{
    private const string MainHelp = """
        MultiAgentRec: reinforcement-learning recommender agents that collaborate on simulated users,
        on Microsoft Orleans.

        Usage:
          dotnet run --project Client -- <command> [options]

        Commands:
          run <scenario.yaml>       Run a scenario (on an embedded silo unless --cluster or --gateway is given),
                                    show progress, print a results table and write a report folder.
          validate <scenario.yaml>  Check a scenario and list every problem with its line.
          bench [options]           Time one arm through the grains and as a tight loop without
                                    grains; writes bench.json (see: bench --help).
          bench trainer [options]   Time the trainer's update against the same update in PyTorch;
                                    writes trainer-bench.json (see: bench trainer --help).
          evaluate <log.csv> --policy <uniform|bts|agent:FILE>
                                    Off-policy evaluation from logged feedback (Open Bandit Dataset
                                    format or simulator logs): IPW, SNIPW, DM, DR, SNDR, Switch-DR
                                    with bootstrap intervals; writes evaluation.json.
          simulate-logs <scenario.yaml>
                                    Write an interaction log of the scenario's users under a logging
                                    policy, with every item's exact expected reward (OPE ground truth).
          train-offline <scenario.yaml> <log.csv> --agent ID --out FILE
                                    Train a REINFORCE agent from logs; start it with warmStart: FILE.
          help [command]            Show this help, or a command's.

        Examples:
          dotnet run --project Client -- run scenarios/quickstart.yaml
          dotnet run --project Client -- run scenarios/quickstart.yaml --out runs/try1 --metrics-port 9465
          dotnet run --project Silo   # in another terminal, then:
          dotnet run --project Client -- run scenarios/quickstart.yaml --gateway 127.0.0.1:30000
          eng/cluster.sh up --silos 3  # then:
          dotnet run --project Client -- run scenarios/quickstart.yaml --cluster redis://127.0.0.1:6379
          dotnet run -c Release --project Client -- evaluate ../shared/data/obd/bts/men/men.csv --policy uniform

        Exit codes: 0 success, 2 bad input (scenario or arguments), 1 any other failure.
        """;

    private const string RunHelp = """
        Usage: dotnet run --project Client -- run <scenario.yaml> [options]

        Runs every arm of the scenario (ensemble, each agent solo, random, oracle) on identical users
        with common random numbers, then writes into the output folder:
          summary.json       headline figures per arm, over all rounds and over the last quarter
          metrics.csv        one row per round per arm
          agent-weights.csv  the coordinator's weight and credited clicks per agent per round
          report.md          the same, for people

        Options:
          --out DIR             Output folder (default: runs/<scenario>-<yyyyMMdd-HHmmss>).
          --gateway HOST:PORT   Use a running cluster through this gateway instead of an embedded silo.
                                Repeat for several gateways. Start one with: dotnet run --project Silo
          --cluster redis://HOST:PORT
                                Use the running cluster whose silos Redis lists (eng/cluster.sh up).
          --cluster-id ID       Cluster id of that cluster (default: multiagentrec).
          --service-id ID       Service id of that cluster (default: multiagentrec).
          --metrics-port N      Port of the embedded silo's Prometheus endpoint /metrics
                                (default: 9464; 0 turns it off). Watch it while the run goes.
          --scrape-wait S       When a scraper (Prometheus) read /metrics during the run, wait up to
                                S seconds after the last round for one more scrape, so the final
                                figures reach it (default: 15; 0 = exit at once).
          --quiet               No progress display.
          --verbose             Show Orleans' logs, and stack traces on failure.
          -h, --help            Show this help.
        """;

    private const string ValidateHelp = """
        Usage: dotnet run --project Client -- validate <scenario.yaml>

        Checks a scenario without running it and prints every problem as FILE:LINE:COLUMN: message.
        Exit code 0 when the scenario is valid, 2 when it is not.
        """;

    public static Task<int> RunAsync(string[] args) => new Cli(Console.Out, Console.Error).ExecuteAsync(args);

    public async Task<int> ExecuteAsync(string[] args, CancellationToken cancellationToken = default)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help")
        {
            stdout.WriteLine(MainHelp);
            return args.Length == 0 ? ExitCodes.BadInput : ExitCodes.Success;
        }
        var command = args[0];
        var rest = args[1..];
        return command switch
        {
            "run" => await RunCommandAsync(rest, cancellationToken),
            "validate" => Validate(rest),
            "bench" => await new Bench.BenchCommand(stdout, stderr).RunAsync(rest, cancellationToken),
            "evaluate" => new EvaluateCommand(stdout, stderr).Execute(rest),
            "simulate-logs" => new SimulateLogsCommand(stdout, stderr).Execute(rest),
            "train-offline" => new TrainOfflineCommand(stdout, stderr).Execute(rest),
            "help" => Help(rest),
            "--version" => Version(),
            _ => Usage($"unknown command '{command}' (commands: run, validate, bench, evaluate, simulate-logs, train-offline, help)"),
        };
    }

    private int Help(string[] rest)
    {
        stdout.WriteLine(rest.FirstOrDefault() switch
        {
            "run" => RunHelp, "validate" => ValidateHelp, "bench" => Bench.BenchCommand.Help, "evaluate" => EvaluateCommand.Help,
            "simulate-logs" => SimulateLogsCommand.Help, "train-offline" => TrainOfflineCommand.Help, _ => MainHelp,
        });
        return ExitCodes.Success;
    }

    private int Version()
    {
        stdout.WriteLine(typeof(Cli).Assembly.GetName().Version?.ToString() ?? "unknown");
        return ExitCodes.Success;
    }

    private int Usage(string message)
    {
        stderr.WriteLine($"error: {message}");
        stderr.WriteLine("Run with --help for usage.");
        return ExitCodes.BadInput;
    }

    private int Validate(string[] args)
    {
        if (args.Contains("-h") || args.Contains("--help")) { stdout.WriteLine(ValidateHelp); return ExitCodes.Success; }
        if (args.Length != 1) return Usage("validate takes exactly one scenario file");
        var loaded = ScenarioLoader.LoadFile(args[0]);
        if (!loaded.Ok) return ReportProblems(loaded);
        var spec = loaded.Spec!;
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ok: scenario '{spec.Name}': {spec.Agents.Length} agents, arms {string.Join(", ", spec.Arms)}; {UserCohort.StepsPerArm(spec) * spec.Arms.Length:N0} user steps; {spec.ShardCount:N0} shards per arm; estimated memory {ScenarioLimits.Mib(ScenarioLimits.EstimateMemoryBytes(spec))}"));
        if (MemoryProblem(spec) is { } memory) { stderr.WriteLine($"error: {memory}"); return ExitCodes.BadInput; }
        return ExitCodes.Success;
    }

    /// <summary>"Debug" or "Release": the configuration this client was built in.</summary>
#if DEBUG
    public const string BuildConfiguration = "Debug";
#else
    public const string BuildConfiguration = "Release";
#endif

    /// <summary>
    /// Null when the scenario's estimated peak memory fits this machine (or its container); else one
    /// line naming the estimate and the limit.
    /// </summary>
    public static string? MemoryProblem(SimulationSpec spec)
    {
        var needed = ScenarioLimits.EstimateMemoryBytes(spec);
        var available = ScenarioLimits.AvailableMemoryBytes();
        return needed <= available ? null
            : $"scenario '{spec.Name}' needs an estimated {ScenarioLimits.Mib(needed)} of memory ({spec.Users.Count:N0} users × {spec.Arms.Length} arms, {spec.Catalog.Items:N0} items), "
              + $"more than the {ScenarioLimits.Mib(available)} this machine allows; use fewer users, arms or items, or a bigger machine.";
    }

    private int ReportProblems(ScenarioLoadResult loaded)
    {
        foreach (var p in loaded.Problems) stderr.WriteLine(p.ToString());
        stderr.WriteLine($"{loaded.Problems.Count} problem{(loaded.Problems.Count == 1 ? "" : "s")} found; nothing was run.");
        return ExitCodes.BadInput;
    }

    private sealed record RunOptions(string Scenario, string? Out, List<IPEndPoint> Gateways, string? Redis, string ClusterId, string ServiceId, int MetricsPort, int ScrapeWaitSeconds, bool Quiet, bool Verbose);

    private async Task<int> RunCommandAsync(string[] args, CancellationToken cancellationToken)
    {
        if (args.Contains("-h") || args.Contains("--help")) { stdout.WriteLine(RunHelp); return ExitCodes.Success; }
        if (ParseRun(args, out var error) is not { } options) return Usage(error!);

        var loaded = ScenarioLoader.LoadFile(options.Scenario);
        if (!loaded.Ok) return ReportProblems(loaded);
        var spec = loaded.Spec!;
        // The estimate is for one process holding every arm: it applies to the embedded silo; a
        // cluster spreads the shards over its silos.
        if (options.Gateways.Count == 0 && options.Redis is null && MemoryProblem(spec) is { } memory) { stderr.WriteLine($"error: {memory}"); stderr.WriteLine("Nothing was run."); return ExitCodes.BadInput; }
        var outDir = options.Out ?? Path.Combine("runs", $"{spec.Name}-{DateTime.Now:yyyyMMdd-HHmmss}");

        try
        {
            var embedded = options.Gateways.Count == 0 && options.Redis is null;
            if (embedded && spec.Agents.Any(a => Names.IsTrainedByTrainer(a.Kind)))
            {
                // Fail before starting a silo, in one line, when TorchSharp's native library cannot load here.
                // A scenario's libtorch must be in place before TorchSharp first starts in this process.
                TorchRuntime.UseLibtorch(spec.Trainer.Libtorch);
                TorchRuntime.EnsureAvailable();
                TorchRuntime.ResolveDevice(spec.Trainer.Device);
            }
            var logLevel = options.Verbose ? LogLevel.Information : LogLevel.Warning;
            await using var cluster = embedded
                ? await ClusterConnection.StartEmbeddedAsync(options.MetricsPort, logLevel, cancellationToken)
                : options.Redis is { } redis
                    ? await ClusterConnection.ConnectRedisAsync(redis, options.ClusterId, options.ServiceId, logLevel, cancellationToken)
                    : await ClusterConnection.ConnectAsync(options.Gateways, options.ClusterId, options.ServiceId, logLevel, cancellationToken);

            var total = UserCohort.StepsPerArm(spec) * spec.Arms.Length;
            stderr.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Running '{spec.Name}' on the {cluster.Description}: {spec.Users.Count:N0} users × {spec.Rounds} rounds{(spec.Users.Count * (long)spec.Rounds == UserCohort.StepsPerArm(spec) ? "" : " (and cold-start cohorts)")} × {spec.Arms.Length} arms = {total:N0} user steps"));
            if (cluster.MetricsPort is { } port) stderr.WriteLine($"Metrics: http://localhost:{port}/metrics");

            var progress = options.Quiet ? null : new ProgressDisplay(stderr, total, interactive: !Console.IsErrorRedirected && ReferenceEquals(stderr, Console.Error));
            var result = await new ScenarioRunner(cluster.Grains).RunAsync(spec, progress is null ? null : progress.Report, cancellationToken);
            progress?.Finish();
            await FinalScrape.AwaitAsync(cluster, options.ScrapeWaitSeconds, stderr, cancellationToken);

            ReportWriter.WriteAll(result, outDir);
            stdout.WriteLine();
            stdout.Write(ReportWriter.Table(result));
            stdout.WriteLine();
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{result.UserSteps:N0} user steps in {result.WallSeconds:F1} s ({result.UserSteps / Math.Max(result.WallSeconds, 1e-9):N0} steps/s); training: {result.Training.Updates:N0} updates on {result.Training.Device}."));
            stdout.WriteLine($"Report: {Path.GetFullPath(outDir)}");
            return ExitCodes.Success;
        }
        catch (TorchUnavailableException ex)
        {
            stderr.WriteLine($"error: {ex.Message}");
            return ExitCodes.Failure;
        }
        catch (OperationCanceledException)
        {
            stderr.WriteLine("error: cancelled");
            return ExitCodes.Failure;
        }
        catch (Exception ex) when (!options.Verbose)
        {
            stderr.WriteLine($"error: {OneLine(ex)} (run with --verbose for details)");
            return ExitCodes.Failure;
        }
        catch (Exception ex)
        {
            stderr.WriteLine($"error: {ex}");
            return ExitCodes.Failure;
        }
    }

    private static string OneLine(Exception ex)
    {
        var root = ex;
        while (root is AggregateException { InnerException: { } inner }) root = inner;
        return root.Message.Split('\n', 2)[0].Trim();
    }

    private static RunOptions? ParseRun(string[] args, out string? error)
    {
        var options = ParseRunOptions(args, out var problems);
        error = problems.FirstOrDefault();
        return options;
    }

    private static RunOptions? ParseRunOptions(string[] args, out List<string> problems)
    {
        var errors = problems = [];
        string? scenario = null, outDir = null, redis = null, clusterId = "multiagentrec", serviceId = "multiagentrec";
        var gateways = new List<IPEndPoint>();
        int metricsPort = 9464, scrapeWait = 15;
        bool quiet = false, verbose = false;
        for (var i = 0; i < args.Length; i++)
        {
            var a = args[i];
            string? Value()
            {
                if (i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal)) return args[++i];
                return null;
            }
            switch (a)
            {
                case "--out":
                    outDir = Value() ?? Fail($"{a} needs a folder");
                    break;
                case "--gateway":
                    var g = Value();
                    if (g is null) { Fail($"{a} needs HOST:PORT"); break; }
                    if (ParseEndPoint(g) is { } ep) gateways.Add(ep); else Fail($"--gateway '{g}' is not HOST:PORT (for example 127.0.0.1:30000)");
                    break;
                case "--cluster":
                    var c = Value();
                    try { redis = MultiAgentRec.Hosting.ClusterAddress.RedisEndpoint(c) ?? Fail($"{a} needs redis://HOST:PORT"); }
                    catch (InvalidOperationException ex) { Fail(ex.Message); }
                    break;
                case "--scrape-wait":
                    var w = Value();
                    if (!int.TryParse(w, NumberStyles.None, CultureInfo.InvariantCulture, out scrapeWait)) Fail($"--scrape-wait needs a number of seconds, got '{w}'");
                    break;
                case "--cluster-id":
                    clusterId = Value() ?? Fail($"{a} needs a value");
                    break;
                case "--service-id":
                    serviceId = Value() ?? Fail($"{a} needs a value");
                    break;
                case "--metrics-port":
                    var p = Value();
                    if (!int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out metricsPort) || metricsPort > 65535)
                        Fail($"--metrics-port needs a port number from 0 to 65535, got '{p}'");
                    break;
                case "--quiet": quiet = true; break;
                case "--verbose": verbose = true; break;
                default:
                    if (a.StartsWith('-')) Fail($"unknown option '{a}'");
                    else if (scenario is null) scenario = a;
                    else Fail($"unexpected argument '{a}' (run takes one scenario file)");
                    break;
            }
            if (errors.Count > 0) return null;
        }
        if (scenario is null) { errors.Add("run needs a scenario file, e.g. scenarios/quickstart.yaml"); return null; }
        if (redis is not null && gateways.Count > 0) { errors.Add("use either --cluster or --gateway, not both"); return null; }
        return new RunOptions(scenario, outDir, gateways, redis, clusterId!, serviceId!, metricsPort, scrapeWait, quiet, verbose);

        string? Fail(string message) { errors.Add(message); return null; }
    }

    private static IPEndPoint? ParseEndPoint(string text)
    {
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535) return null;
        var host = text[..colon];
        if (IPAddress.TryParse(host, out var ip)) return new IPEndPoint(ip, port);
        try
        {
            var addresses = Dns.GetHostAddresses(host);
            var v4 = addresses.FirstOrDefault(x => x.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork) ?? addresses.FirstOrDefault();
            return v4 is null ? null : new IPEndPoint(v4, port);
        }
        catch (System.Net.Sockets.SocketException)
        {
            return null;
        }
    }
}

/// <summary>A progress bar on a terminal, or a line every 10 % when output is redirected (CI logs).</summary>
public sealed class ProgressDisplay(TextWriter writer, long total, bool interactive)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly object _gate = new();
    private long _lastDraw = -1;
    private int _lastDecile = -1;

    public void Report(long done)
    {
        lock (_gate)
        {
            var fraction = total == 0 ? 1 : Math.Min(1, (double)done / total);
            var seconds = _clock.Elapsed.TotalSeconds;
            var rate = done / Math.Max(seconds, 1e-9);
            var eta = rate > 0 ? (total - done) / rate : 0;
            if (interactive)
            {
                var now = _clock.ElapsedMilliseconds;
                if (now - _lastDraw < 100 && done < total) return;
                _lastDraw = now;
                const int width = 30;
                var filled = (int)(fraction * width);
                writer.Write(string.Create(CultureInfo.InvariantCulture,
                    $"\r[{new string('#', filled)}{new string('.', width - filled)}] {fraction,4:P0}  {done:N0}/{total:N0} steps  {rate:N0}/s  ETA {eta:F0}s   "));
            }
            else
            {
                var decile = (int)(fraction * 10);
                if (decile == _lastDecile) return;
                _lastDecile = decile;
                writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"progress: {fraction:P0} ({done:N0}/{total:N0} steps, {rate:N0}/s, ETA {eta:F0}s)"));
            }
        }
    }

    public void Finish()
    {
        if (interactive) writer.WriteLine();
    }
}
