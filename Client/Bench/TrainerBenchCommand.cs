using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using MultiAgentRec.Agents;
using MultiAgentRec.Client.Scenarios;
using MultiAgentRec.Contracts;
using MultiAgentRec.Coordination;
using MultiAgentRec.Simulation;
using MultiAgentRec.Training;

namespace MultiAgentRec.Client.Bench;

/// <summary>
/// <c>bench trainer</c>: times the trainer's REINFORCE update (<see cref="ReinforceLearner"/>: the rows
/// go to the device, then shuffled minibatch steps with Adam) for a fixed model and batch, and the same
/// update written directly in PyTorch by <c>bench/trainer_reference.py</c>, run in the same process
/// tree with the machine's python3, so the ratio compares like with like.
/// </summary>
public sealed class TrainerBenchCommand(TextWriter stdout, TextWriter stderr)
{
    public const string Help = """
        Usage: dotnet run -c Release --project Client -- bench trainer [options]

        Times one trainer update of a fixed REINFORCE model and batch, the figures of
        ../shared/docs/gpu-machine.md: 20,000 rows (slates of 5), 3,000 items (embeddings of 16),
        22 inputs, hidden 256, embedding 64, 2 epochs, minibatch 4,096, Adam (lr 0.01), the
        Plackett-Luce REINFORCE loss with the agents' default sampled softmax (each row's slate
        and 64 items drawn from the catalog; --sampled-items 0 scores the whole catalog). Then runs bench/trainer_reference.py, the same update in
        PyTorch, with python3 (skipped, with a note, when python3 or its torch is missing).
        Writes DIR/trainer-bench.json: samplesPerSecond (rows / seconds per update, as
        summary.json's training.samplesPerSecond), device, pytorchSamplesPerSecond, ratio.

        Options:
          --device cpu|cuda  Training device (default cpu). With cuda, load PyTorch's CUDA
                             libtorch first: --libtorch DIR or MULTIAGENTREC_LIBTORCH.
          --libtorch DIR     A folder holding libtorch (e.g. a PyTorch install's torch/lib).
          --rows N           Rows per update (default 20000).
          --items M          Catalog size (default 3000).
          --sampled-items S  Items scored per step besides each row's slate (the agents'
                             sampledItems); 0 scores the whole catalog (default 64).
          --repeat K         Timed updates; the median is reported (default 5).
          --python PATH      The python3 to run the reference with (default: python3 on PATH).
          --out DIR          Output folder (default runs/trainer-bench-<time>).
          -h, --help         Show this help.
        """;

    private sealed record Options(string Device, string? Libtorch, int Rows, int Items, int Repeat, string Python, string? Out, int SampledItems);

    private const int Hidden = 256, Embedding = 64, Epochs = 2, Minibatch = 4096, SlateSize = 5, ItemDim = 16, Segments = 6;

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        if (args.Contains("-h") || args.Contains("--help")) { stdout.WriteLine(Help); return ExitCodes.Success; }
        if (Parse(args, out var error) is not { } o)
        {
            stderr.WriteLine($"error: {error}");
            stderr.WriteLine("Run 'bench trainer --help' for usage.");
            return ExitCodes.BadInput;
        }
        try
        {
            TorchRuntime.UseLibtorch(o.Libtorch);
            TorchRuntime.EnsureAvailable();
            var device = TorchRuntime.ResolveDevice(o.Device);
            var spec = Workload(o);
            var world = new World(spec);
            var batch = Batch(world, o.Rows);
            var threads = TorchSharp.torch.get_num_threads();
            stderr.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"bench trainer: {o.Rows:N0} rows × {o.Items:N0} items ({(o.SampledItems > 0 && o.SampledItems < o.Items ? $"sampled softmax of {o.SampledItems:N0}" : "exact softmax")}), hidden {Hidden}, embedding {Embedding}, {Epochs} epochs, minibatch {Minibatch:N0}, Adam; {device.type} ({threads} threads), {o.Repeat} timed updates"));

            using var learner = new ReinforceLearner(world, spec.Agents[0], device);
            learner.Add(batch);
            learner.Update(Epochs, Minibatch); // warm-up, untimed
            var seconds = new List<double>();
            for (var i = 0; i < o.Repeat; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var started = Stopwatch.GetTimestamp();
                learner.Add(batch);
                var (_, _, loss) = learner.Update(Epochs, Minibatch);
                seconds.Add(Stopwatch.GetElapsedTime(started).TotalSeconds);
                if (!double.IsFinite(loss)) throw new InvalidOperationException($"the loss is {loss}");
                stderr.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  update {i + 1}: {o.Rows / seconds[^1],12:N0} samples/s"));
            }
            var median = seconds.Order().ElementAt(seconds.Count / 2);
            var samplesPerSecond = o.Rows / median;

            var reference = await RunReference(o, device.type == TorchSharp.DeviceType.CUDA ? "cuda" : "cpu", threads, cancellationToken);
            var ratio = reference.SamplesPerSecond is { } py ? samplesPerSecond / py : (double?)null;
            var json = new JsonObject
            {
                ["workload"] = new JsonObject
                {
                    ["rows"] = o.Rows, ["items"] = o.Items, ["sampledItems"] = o.SampledItems, ["itemDim"] = ItemDim, ["inputs"] = PolicyFeatures.Size(world),
                    ["slateSize"] = SlateSize, ["hidden"] = Hidden, ["embedding"] = Embedding, ["epochs"] = Epochs,
                    ["minibatch"] = Minibatch, ["optimizer"] = "adam lr 0.01", ["repeat"] = o.Repeat, ["threads"] = threads,
                    ["configuration"] = Cli.BuildConfiguration,
                },
                ["device"] = device.type.ToString().ToLowerInvariant(),
                ["libtorch"] = TorchRuntime.Libtorch,
                ["samplesPerSecond"] = samplesPerSecond,
                ["secondsPerUpdate"] = median,
                ["pytorchSamplesPerSecond"] = reference.SamplesPerSecond,
                ["pytorchVersion"] = reference.Version,
                ["pytorchNote"] = reference.Note,
                ["ratio"] = ratio,
                ["runs"] = new JsonArray([.. seconds.Select(s => (JsonNode)(o.Rows / s))]),
            };
            var outDir = o.Out ?? Path.Combine("runs", $"trainer-bench-{DateTime.Now:yyyyMMdd-HHmmss}");
            Directory.CreateDirectory(outDir);
            var file = Path.Combine(outDir, "trainer-bench.json");
            await File.WriteAllTextAsync(file, json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }), cancellationToken);

            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"trainer   {samplesPerSecond,12:N0} samples/s on {json["device"]} (median of {o.Repeat})"));
            stdout.WriteLine(reference.SamplesPerSecond is { } p
                ? string.Create(CultureInfo.InvariantCulture, $"pytorch   {p,12:N0} samples/s (torch {reference.Version}); ratio {ratio:F2}")
                : $"pytorch   skipped: {reference.Note}");
#if DEBUG
            stderr.WriteLine("note: this is a Debug build; benchmark figures are for Release (-c Release).");
#endif
            stdout.WriteLine($"Wrote {Path.GetFullPath(file)}");
            return ExitCodes.Success;
        }
        catch (TorchUnavailableException e)
        {
            stderr.WriteLine($"error: {e.Message}");
            return ExitCodes.Failure;
        }
    }

    private sealed record Reference(double? SamplesPerSecond, string? Version, string? Note);

    /// <summary>Runs the PyTorch reference with the same sizes and thread count; a missing python3 or torch is a note, not a failure.</summary>
    private async Task<Reference> RunReference(Options o, string device, int threads, CancellationToken cancellationToken)
    {
        var script = FindScript();
        if (script is null) return new(null, null, "bench/trainer_reference.py was not found next to the application or in the repository");
        var arguments = new List<string>
        {
            script, "--rows", $"{o.Rows}", "--items", $"{o.Items}", "--item-dim", $"{ItemDim}", "--inputs", $"{ItemDim + Segments}",
            "--hidden", $"{Hidden}", "--embedding", $"{Embedding}", "--slots", $"{SlateSize}", "--epochs", $"{Epochs}",
            "--minibatch", $"{Minibatch}", "--repeat", $"{o.Repeat}", "--device", device, "--threads", $"{threads}",
            "--sampled-items", $"{o.SampledItems}",
        };
        var info = new ProcessStartInfo(o.Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in arguments) info.ArgumentList.Add(a);
        stderr.WriteLine($"  reference: {o.Python} {string.Join(' ', arguments)}");
        Process? process;
        try
        {
            process = Process.Start(info);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return new(null, null, $"'{o.Python}' was not found; install python3 with PyTorch (Debian/Ubuntu: apt-get install python3-torch; inside eng/modern-runtime.sh: eng/install-tools.sh) or pass --python");
        }
        if (process is null) return new(null, null, $"'{o.Python}' did not start");
        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var errors = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            var (text, err) = (await output, await errors);
            if (process.ExitCode != 0)
            {
                var why = err.Contains("No module named 'torch'", StringComparison.Ordinal)
                    ? $"{o.Python} has no PyTorch (Debian/Ubuntu: apt-get install python3-torch; inside eng/modern-runtime.sh: eng/install-tools.sh)"
                    : $"the reference exited with {process.ExitCode}: {LastLine(err)}";
                return new(null, null, why);
            }
            try
            {
                var result = JsonNode.Parse(LastLine(text))!;
                return new(result["samplesPerSecond"]!.GetValue<double>(), result["torch"]?.GetValue<string>(), null);
            }
            catch (Exception e) when (e is JsonException or NullReferenceException or InvalidOperationException or FormatException)
            {
                return new(null, null, $"the reference printed no result: {LastLine(text)}");
            }
        }
    }

    private static string LastLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "";

    private static string? FindScript()
    {
        var shipped = Path.Combine(AppContext.BaseDirectory, "bench", "trainer_reference.py");
        if (File.Exists(shipped)) return shipped;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "bench", "trainer_reference.py");
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    /// <summary>The benchmark's world: only its catalog and feature size matter (users are never simulated).</summary>
    private static SimulationSpec Workload(Options o)
    {
        var loaded = ScenarioLoader.Parse(string.Create(CultureInfo.InvariantCulture, $$"""
            name: trainer-bench
            seed: 42
            slateSize: {{SlateSize}}
            catalog: { items: {{o.Items}}, topics: 8, embeddingDim: {{ItemDim}} }
            users: { count: 1, segments: {{Segments}} }
            agents: [ { id: pg, kind: reinforce, hiddenSize: {{Hidden}}, embeddingSize: {{Embedding}}, learningRate: 0.01, sampledItems: {{o.SampledItems}} } ]
            arms: [random]
            """), "trainer bench workload");
        return loaded.Spec ?? throw new InvalidOperationException(string.Join("; ", loaded.Problems));
    }

    /// <summary>Random rows of the right shapes: features, uniform slates with their per-slot propensities, one click in four rows.</summary>
    private static TrajectoryBatch Batch(World world, int rows)
    {
        var rng = SimRandom.For(42, 0xbe4c);
        int f = PolicyFeatures.Size(world), k = world.SlateSize, items = world.Catalog.Count;
        var features = new float[rows * f];
        for (var i = 0; i < features.Length; i++) features[i] = (float)rng.NextDouble();
        var actions = new int[rows * k];
        var propensities = new float[rows * k];
        var rewards = new float[rows * k];
        for (var r = 0; r < rows; r++)
        {
            SlateSampling.Uniform(items, ref rng, actions.AsSpan(r * k, k), propensities.AsSpan(r * k, k));
            var clicked = rng.NextInt(4 * k) - 3 * k;
            if (clicked >= 0) rewards[r * k + clicked] = 1;
        }
        return new TrajectoryBatch(rows, f, features, k, actions, propensities, rewards);
    }

    private static Options? Parse(string[] args, out string? error)
    {
        string device = "cpu", python = "python3";
        string? libtorch = null, outDir = null;
        int rows = 20000, items = 3000, repeat = 5, sampled = ReinforceLearnerGroup.DefaultSampledItems;
        var reader = new OptionReader(args);
        while (reader.Next() is { } option)
        {
            switch (option)
            {
                case "--device": device = reader.OneOf("cpu", "cuda") ?? device; break;
                case "--libtorch": libtorch = reader.Text("a folder"); break;
                case "--python": python = reader.Text("a path to python3") ?? python; break;
                case "--out": outDir = reader.Text("a folder"); break;
                case "--rows": rows = reader.WholeNumber(1) ?? rows; break;
                case "--items": items = reader.WholeNumber(SlateSize + 1) ?? items; break;
                case "--repeat": repeat = reader.WholeNumber(1) ?? repeat; break;
                case "--sampled-items": sampled = reader.WholeNumber(0) ?? sampled; break;
                default: reader.Unknown(); break;
            }
        }
        error = reader.Error;
        return error is null ? new Options(device, libtorch, rows, items, repeat, python, outDir, sampled) : null;
    }
}
