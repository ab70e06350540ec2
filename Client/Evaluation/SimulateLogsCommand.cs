using System.Globalization;
using MultiAgentRec.Client.Scenarios;
using MultiAgentRec.Evaluation;

namespace MultiAgentRec.Client.Evaluation;

/// <summary>The <c>simulate-logs</c> command: logged feedback with ground truth, from a scenario's users.</summary>
public sealed class SimulateLogsCommand(TextWriter stdout, TextWriter stderr)
{
    public const string Help = """
        Usage: dotnet run -c Release --project Client -- simulate-logs <scenario.yaml> [options]

        Writes an interaction log of the scenario's users (its catalog, users and choice model; its
        agents are not used) under a logging policy, in the Open Bandit Dataset's CSV format, plus
        expected_reward_0..K-1: every item's exact click probability for that user at that moment.
        `evaluate` on such a log shows each estimator's error against the policy's true value.

        One item is shown per step (one slot), chosen with probability
          (1 − ε)·softmax(β·⟨profile, embedding⟩) + ε/K,
        its propensity logged. Users step round by round as in a run (choice, drift, boredom).

        Files in DIR: interactions.csv (user_feature_* = profile, then one-hot segment, user-item_affinity_* =
        ⟨profile, embedding⟩, expected_reward_*), item_context.csv (item_feature_* = embedding).

        Options:
          --out DIR       output folder (default: runs/<scenario>-logs-<yyyyMMdd-HHmmss>)
          --rows N        rows to write (default 10000, the size of an Open Bandit sample)
          --beta B        logging policy's inverse temperature β (default 5)
          --epsilon E     logging policy's uniform share ε, in (0, 1] (default 0.2)
          -h, --help      show this help

        Example:
          dotnet run -c Release --project Client -- simulate-logs scenarios/quickstart.yaml --out runs/simlog
          dotnet run -c Release --project Client -- evaluate runs/simlog/interactions.csv --policy uniform
        """;

    public int Execute(string[] args)
    {
        if (args.Contains("-h") || args.Contains("--help")) { stdout.WriteLine(Help); return ExitCodes.Success; }
        string? scenario = null, outDir = null, error = null;
        var rows = 10_000;
        var logging = new SimulatedInteractionLog.LoggingPolicy();
        for (var i = 0; i < args.Length && error is null; i++)
        {
            var a = args[i];
            var value = a.StartsWith("--", StringComparison.Ordinal) && i + 1 < args.Length ? args[++i] : null;
            switch (a)
            {
                case "--out": outDir = value ?? (error = "--out needs a folder"); break;
                case "--rows":
                    if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out rows) && rows >= 1) break;
                    error = "--rows needs a whole number ≥ 1"; break;
                case "--beta":
                    if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var beta) && double.IsFinite(beta)) { logging = logging with { InverseTemperature = beta }; break; }
                    error = "--beta needs a number"; break;
                case "--epsilon":
                    if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var eps) && eps is > 0 and <= 1) { logging = logging with { UniformShare = eps }; break; }
                    error = "--epsilon needs a number in (0, 1]: a zero share would allow propensities of 0"; break;
                default:
                    if (a.StartsWith('-')) error = $"unknown option '{a}'";
                    else if (scenario is null) scenario = a;
                    else error = $"unexpected argument '{a}' (simulate-logs takes one scenario file)";
                    break;
            }
        }
        if (error is null && scenario is null) error = "simulate-logs needs a scenario file, e.g. scenarios/quickstart.yaml";
        if (error is not null)
        {
            stderr.WriteLine($"error: {error}");
            stderr.WriteLine("Run 'simulate-logs --help' for usage.");
            return ExitCodes.BadInput;
        }
        var loaded = ScenarioLoader.LoadFile(scenario!);
        if (!loaded.Ok)
        {
            foreach (var p in loaded.Problems) stderr.WriteLine(p.ToString());
            return ExitCodes.BadInput;
        }
        var spec = loaded.Spec!;
        outDir ??= Path.Combine("runs", $"{spec.Name}-logs-{DateTime.Now:yyyyMMdd-HHmmss}");
        string path;
        try
        {
            path = SimulatedInteractionLog.Write(spec, rows, logging, outDir);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"error: cannot write into {outDir}: {e.Message}");
            return ExitCodes.Failure;
        }
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Wrote {rows:N0} rows of '{spec.Name}' ({spec.Catalog.Items} items, {spec.Users.Count:N0} users; logging β = {logging.InverseTemperature:G4}, ε = {logging.UniformShare:G4}): {Path.GetFullPath(path)}"));
        return ExitCodes.Success;
    }
}
