using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using MultiAgentRec.Arms;
using MultiAgentRec.Client.Hosting;
using MultiAgentRec.Client.Runs;
using MultiAgentRec.Client.Scenarios;
using MultiAgentRec.Contracts;
using MultiAgentRec.Simulation;
using MultiAgentRec.Training;

namespace MultiAgentRec.Client.Bench;

/// <summary>
/// <c>bench</c>: one arm's workload run (a) through the grains on an embedded silo and (b) as a tight
/// in-process loop of the same plain classes (<see cref="ArmSimulation"/>, shards in parallel), so
/// the ratio is the price of the actor model. Repeats alternate the two paths; medians are reported.
/// </summary>
public sealed class BenchCommand(TextWriter stdout, TextWriter stderr)
{
    public const string Help = """
        Usage: dotnet run -c Release --project Client -- bench [options]

        Times one arm (the quickstart's ensemble of epsilon-greedy, Thompson sampling and REINFORCE)
        two ways, on identical work:
          grain path   coordinator, shard and agent grains on an embedded silo
          tight loop   the same plain classes in one process, shards in parallel, no grains
        and writes DIR/bench.json: grainStepsPerSecond, tightLoopStepsPerSecond, ratio (grain / tight),
        peakWorkingSetBytes, with every repeat's figures. Benchmarks are for Release builds.
        'bench trainer' times the trainer's update against PyTorch instead (see: bench trainer --help).

        Options:
          --users N         Users of the arm (default 2000, the quickstart's).
          --items M         Catalog size (default 300, the quickstart's).
          --rounds R        Rounds per repeat (default 10).
          --shard-size S    users.shardSize (default 1000).
          --agents LIST     Which of the three agents collaborate: a comma-separated subset of
                            eps, ts, pg (default eps,ts,pg).
          --repeat K        Repeats of each path; medians are reported (default 3).
          --sampled-items S REINFORCE's sampledItems: a sampled softmax of S items per training
                            step instead of the catalog; 0 for the exact softmax (default 64,
                            the agents' default).
          --overlap         trainer.overlap: REINFORCE's update of a round runs while the next round
                            plays, one round stale (default: round-synchronous).
          --only PATH       Run only 'grain' or 'tight' (for example to measure one path's memory).
          --out DIR         Output folder (default runs/bench-<time>).
          -h, --help        Show this help.

        Examples:
          dotnet run -c Release --project Client -- bench
          dotnet run -c Release --project Client -- bench --users 20000 --out runs/bench-20k
          taskset -c 0 dotnet run -c Release --project Client -- bench --users 20000   # one core
        """;

    private sealed record Options(int Users, int Items, int Rounds, int ShardSize, int Repeat, string? Only, string? Out, string[] Agents, int SampledItems = ReinforceLearnerGroup.DefaultSampledItems, bool Overlap = false);

    private static readonly Dictionary<string, string> AgentLines = new()
    {
        ["eps"] = "  - { id: eps, kind: epsilon-greedy, epsilon: 0.1 }",
        ["ts"] = "  - { id: ts, kind: thompson }",
        ["pg"] = "  - { id: pg, kind: reinforce, learningRate: 0.01 }",
    };

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        if (args is ["trainer", .. var rest]) return await new TrainerBenchCommand(stdout, stderr).RunAsync(rest, cancellationToken);
        if (args.Contains("-h") || args.Contains("--help")) { stdout.WriteLine(Help); return ExitCodes.Success; }
        if (Parse(args, out var error) is not { } options)
        {
            stderr.WriteLine($"error: {error}");
            stderr.WriteLine("Run 'bench --help' for usage.");
            return ExitCodes.BadInput;
        }
        var loaded = ScenarioLoader.Parse(Workload(options), "bench workload");
        if (!loaded.Ok)
        {
            foreach (var p in loaded.Problems) stderr.WriteLine(p.ToString().Replace("bench workload:0:0: ", "", StringComparison.Ordinal));
            return ExitCodes.BadInput;
        }
        var spec = loaded.Spec!;
        if (Cli.MemoryProblem(spec) is { } memory) { stderr.WriteLine($"error: {memory}"); return ExitCodes.BadInput; }
        TorchRuntime.EnsureAvailable();
        var device = TorchRuntime.ResolveDevice(spec.Trainer.Device);
        var outDir = options.Out ?? Path.Combine("runs", $"bench-{DateTime.Now:yyyyMMdd-HHmmss}");
        var steps = (long)spec.Users.Count * spec.Rounds;
        stderr.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"bench: one arm, {spec.Users.Count:N0} users × {spec.Catalog.Items:N0} items × {spec.Rounds} rounds, agents {string.Join(",", options.Agents)}, shards of {spec.Users.ShardSize:N0}, {Environment.ProcessorCount} cores; {options.Repeat} repeat(s){(spec.Trainer.Overlap ? ", trainer.overlap" : "")}"));

        var grain = new List<double>();
        var tight = new List<double>();
        await using var cluster = options.Only == "tight" ? null : await ClusterConnection.StartEmbeddedAsync(0, LogLevel.Warning, cancellationToken);
        // Warm-up, untimed: two rounds of each path, so that neither pays for JIT compilation and
        // tiering in its timed repeats.
        var warmup = spec with { Rounds = Math.Min(2, spec.Rounds) };
        if (cluster is not null) await new ScenarioRunner(cluster.Grains).RunAsync(warmup, null, cancellationToken);
        if (options.Only != "grain") TightLoop(warmup, device);
        for (var i = 0; i < options.Repeat; i++)
        {
            if (cluster is not null)
            {
                var result = await new ScenarioRunner(cluster.Grains).RunAsync(spec, null, cancellationToken);
                grain.Add(steps / result.WallSeconds);
                stderr.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  repeat {i + 1}: grain path {steps / result.WallSeconds,12:N0} steps/s"));
            }
            if (options.Only != "grain")
            {
                var seconds = TightLoop(spec, device);
                tight.Add(steps / seconds);
                stderr.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  repeat {i + 1}: tight loop {steps / seconds,12:N0} steps/s"));
            }
        }

        var peak = Process.GetCurrentProcess().PeakWorkingSet64;
        double? grainMedian = grain.Count > 0 ? Median(grain) : null, tightMedian = tight.Count > 0 ? Median(tight) : null;
        var ratio = grainMedian is { } g && tightMedian is { } t ? g / t : (double?)null;
        var json = new JsonObject
        {
            ["workload"] = new JsonObject
            {
                ["users"] = spec.Users.Count, ["items"] = spec.Catalog.Items, ["rounds"] = spec.Rounds,
                ["shardSize"] = spec.Users.ShardSize, ["agents"] = new JsonArray([.. spec.Agents.Select(a => (JsonNode)a.Kind)]),
                ["cores"] = Environment.ProcessorCount, ["repeat"] = options.Repeat,
                ["configuration"] = Cli.BuildConfiguration,
                ["overlap"] = spec.Trainer.Overlap,
            },
            ["grainStepsPerSecond"] = grainMedian,
            ["tightLoopStepsPerSecond"] = tightMedian,
            ["ratio"] = ratio,
            ["peakWorkingSetBytes"] = peak,
            ["grainRuns"] = new JsonArray([.. grain.Select(v => (JsonNode)v)]),
            ["tightLoopRuns"] = new JsonArray([.. tight.Select(v => (JsonNode)v)]),
        };
        Directory.CreateDirectory(outDir);
        var file = Path.Combine(outDir, "bench.json");
        await File.WriteAllTextAsync(file, json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }), cancellationToken);

        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"grain path  {grainMedian,12:N0} user-steps/s (median)"));
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"tight loop  {tightMedian,12:N0} user-steps/s (median)"));
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ratio       {ratio,12:F2}   peak working set {ScenarioLimits.Mib(peak)}"));
#if DEBUG
        stderr.WriteLine("note: this is a Debug build; benchmark figures are for Release (-c Release).");
#endif
        stdout.WriteLine($"Wrote {Path.GetFullPath(file)}");
        return ExitCodes.Success;
    }

    private static double TightLoop(SimulationSpec spec, TorchSharp.torch.Device device)
    {
        var started = Stopwatch.GetTimestamp();
        using var arm = new ArmSimulation(new World(spec), Names.Ensemble, device);
        for (var round = 0; round < spec.Rounds; round++) arm.RunRound(round);
        return Stopwatch.GetElapsedTime(started).TotalSeconds;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>The quickstart's world and agents, one ensemble arm, at the requested sizes.</summary>
    private static string Workload(Options o) => string.Create(CultureInfo.InvariantCulture, $$"""
        name: bench
        seed: 42
        rounds: {{o.Rounds}}
        slateSize: 5
        catalog: { items: {{o.Items}}, topics: 8, embeddingDim: 16 }
        users: { count: {{o.Users}}, segments: 6, shardSize: {{o.ShardSize}} }
        agents:
        {{string.Join("\n", o.Agents.Select(a => a == "pg" ? AgentLines[a].Replace(" }", ", sampledItems: " + o.SampledItems.ToString(CultureInfo.InvariantCulture) + " }") : AgentLines[a]))}}
        coordinator: { aggregation: hedge, temperature: 0.1 }
        trainer: { device: cpu, everyRounds: 1, epochs: 2, minibatchSize: 1024, overlap: {{(o.Overlap ? "true" : "false")}} }
        arms: [ensemble]
        """);

    private static Options? Parse(string[] args, out string? error)
    {
        int users = 2000, items = 300, rounds = 10, shardSize = UserSpec.DefaultShardSize, repeat = 3, sampled = ReinforceLearnerGroup.DefaultSampledItems;
        string? only = null, outDir = null;
        var overlap = false;
        string[] agents = ["eps", "ts", "pg"];
        var reader = new OptionReader(args);
        while (reader.Next() is { } option)
        {
            switch (option)
            {
                case "--users": users = reader.WholeNumber(1) ?? users; break;
                case "--items": items = reader.WholeNumber(5) ?? items; break;
                case "--rounds": rounds = reader.WholeNumber(1) ?? rounds; break;
                case "--shard-size": shardSize = reader.WholeNumber(1) ?? shardSize; break;
                case "--repeat": repeat = reader.WholeNumber(1) ?? repeat; break;
                case "--sampled-items": sampled = reader.WholeNumber(0) ?? sampled; break;
                case "--only": only = reader.OneOf("grain", "tight"); break;
                case "--out": outDir = reader.Text("a folder"); break;
                case "--agents": agents = reader.Value("distinct names from eps, ts, pg, comma-separated", IsAgentList)?.Split(',') ?? agents; break;
                case "--overlap": overlap = true; break;
                default: reader.Unknown(); break;
            }
        }
        error = reader.Error;
        return error is null ? new Options(users, items, rounds, shardSize, repeat, only, outDir, agents, sampled, overlap) : null;
    }

    private static bool IsAgentList(string text)
    {
        var names = text.Split(',');
        return names.All(AgentLines.ContainsKey) && names.Distinct().Count() == names.Length;
    }
}
