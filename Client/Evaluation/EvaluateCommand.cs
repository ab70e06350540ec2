using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MultiAgentRec.Agents;
using MultiAgentRec.Client.Scenarios;
using MultiAgentRec.Contracts;
using MultiAgentRec.Evaluation;
using MultiAgentRec.Simulation;
using MultiAgentRec.Training;

namespace MultiAgentRec.Client.Evaluation;

/// <summary>The <c>evaluate</c> command: off-policy evaluation of a policy on logged bandit feedback.</summary>
public sealed class EvaluateCommand(TextWriter stdout, TextWriter stderr)
{
    public const string Help = """
        Usage: dotnet run -c Release --project Client -- evaluate <log.csv> --policy <policy> [options]

        Estimates, from logged bandit feedback alone, the click rate a policy would earn, with six
        off-policy estimators and bootstrap confidence intervals (definitions: Saito et al., "Open Bandit
        Dataset and Pipeline", NeurIPS 2021 Datasets and Benchmarks, arXiv:2008.07146).

        Logs: the Open Bandit Dataset's CSV format (item_id, position 1..3, click, propensity_score,
        user_feature_*, user-item_affinity_*; item features from item_context.csv in the same folder),
        or a log written by `simulate-logs`, which also carries each item's exact expected reward
        (expected_reward_*): then the policy's true value is known and every estimator's error is shown.
        Actions are (item, slot) as in the Open Bandit Pipeline: the policy gives a distribution over
        items for each slot, and each row is evaluated at its logged slot.

        Policies:
          uniform   every item with probability 1/K
          bts       Bernoulli Thompson sampling with Beta(1+clicks, 1+non-clicks) posteriors per item,
                    fitted on the log; its slot probabilities by Monte Carlo (--bts-samples draws, --seed)
          agent:FILE  a REINFORCE agent's network saved by train-offline, with --scenario (and --agent
                    when the scenario has several reinforce agents): π(a|x) = softmax of the network's
                    logits over the catalog for the row's user features, the same at every slot. Needs
                    a log written by simulate-logs for that scenario (its user features are the agent's
                    inputs: profile, then one-hot segment); an Open Bandit Dataset log is refused

        Estimators (--estimators, comma-separated; default all):
          ipw        inverse propensity weighting: mean of w·r, w = π(a|x,k)/π_b(a|x,k)
          snipw      self-normalised IPW: Σ w·r / Σ w
          dm         direct method: mean of Σ_a π(a|x,k)·q̂(x,a,k)
          dr         doubly robust: dm + mean of w·(r − q̂(x,a_i,k))
          sndr       self-normalised DR: dm + Σ w·(r − q̂) / Σ w
          switch-dr  DR whose correction is dropped for rows with w > τ (--switch-threshold)
        q̂ is a logistic regression of the click on item, slot, user features, affinities and item
        features, L2-penalised (--l2), fitted by Newton's method and cross-fitted over --folds folds.

        Options:
          --policy NAME            uniform, bts or agent:FILE (required)
          --scenario FILE          with agent:FILE, the scenario whose agent the network belongs to
          --agent ID               with agent:FILE, the reinforce agent (default: the scenario's only one)
          --estimators LIST        e.g. ipw,dr,sndr (default: ipw,snipw,dm,dr,sndr,switch-dr)
          --out DIR                output folder (default: runs/evaluate-<policy>-<yyyyMMdd-HHmmss>)
          --bootstrap N            bootstrap resamples for the intervals (default 1000)
          --confidence C           interval level (default 0.95)
          --seed S                 seed of the folds, the bootstrap and the bts draws (default 12345)
          --folds K                cross-fitting folds of the reward model (default 3)
          --l2 X                   L2 penalty of the reward model (default 1)
          --switch-threshold T     Switch-DR's τ (default 10)
          --bts-samples N          Monte Carlo draws for the bts policy (default 100000)
          -h, --help               show this help

        Output: a table (estimator, value, interval; with a truth: error and whether the interval
        covers it) and DIR/evaluation.json:
          { "policy", "log", "rows", "items", "positions", "loggedReward", "truth" (simulator logs),
            "maxWeight", "rewardModel": { "folds", "l2", "features", "outOfFoldLogLoss" },
            "estimates": { "<name>": { "value", "ci": [low, high], "error" (value − truth) } } }

        Examples:
          dotnet run -c Release --project Client -- evaluate ../shared/data/obd/bts/men/men.csv --policy uniform
          dotnet run -c Release --project Client -- evaluate ../shared/data/obd/random/women/women.csv --policy bts --estimators ipw,dr
          dotnet run -c Release --project Client -- simulate-logs scenarios/quickstart.yaml --out runs/simlog
          dotnet run -c Release --project Client -- evaluate runs/simlog/interactions.csv --policy uniform --out runs/simlog-eval
          dotnet run -c Release --project Client -- train-offline scenarios/quickstart.yaml runs/simlog/interactions.csv --agent pg --out runs/pg-offline.bin
          dotnet run -c Release --project Client -- evaluate runs/simlog/interactions.csv --policy agent:runs/pg-offline.bin --scenario scenarios/quickstart.yaml --agent pg

        Exit codes: 0 success, 2 bad input (arguments, or a log with a missing column, a zero or
        out-of-range propensity, mismatched item counts: the file and line are named; with agent:FILE
        also a missing or unreadable network, or a log whose items or user features are not the
        scenario's), 1 other failure (e.g. TorchSharp cannot load, needed to read agent:FILE).
        """;

    private sealed record Options(string Log, string Policy, string? Out, EvaluationSettings Settings, string? Scenario, string? AgentId)
    {
        /// <summary>The saved network of an <c>agent:FILE</c> policy, else null.</summary>
        public string? AgentFile => Policy.StartsWith(OffPolicyEvaluation.AgentPrefix, StringComparison.Ordinal) ? Policy[OffPolicyEvaluation.AgentPrefix.Length..] : null;
    }

    // The numeric options, as data: one parsing rule each, one message shape for every bad value.
    private static readonly Dictionary<string, (int Min, Func<EvaluationSettings, int, EvaluationSettings> Apply)> WholeNumberOptions = new()
    {
        ["--bootstrap"] = (1, (s, v) => s with { BootstrapResamples = v }),
        ["--seed"] = (0, (s, v) => s with { Seed = v }),
        ["--folds"] = (2, (s, v) => s with { RewardModelFolds = v }),
        ["--bts-samples"] = (1, (s, v) => s with { ThompsonSamples = v }),
    };

    private static readonly Dictionary<string, (Func<double, bool> Valid, string Allowed, Func<EvaluationSettings, double, EvaluationSettings> Apply)> NumberOptions = new()
    {
        ["--confidence"] = (c => c is > 0 and < 1, "a number between 0 and 1, e.g. 0.95", (s, v) => s with { Confidence = v }),
        ["--l2"] = (v => v >= 0, "a number ≥ 0", (s, v) => s with { RewardModelL2 = v }),
        ["--switch-threshold"] = (v => v >= 0, "a number ≥ 0", (s, v) => s with { SwitchThreshold = v }),
    };

    public int Execute(string[] args)
    {
        if (args.Contains("-h") || args.Contains("--help")) { stdout.WriteLine(Help); return ExitCodes.Success; }
        if (Parse(args, out var error) is not { } options)
        {
            stderr.WriteLine($"error: {error}");
            stderr.WriteLine("Run 'evaluate --help' for usage.");
            return ExitCodes.BadInput;
        }
        BanditFeedback log;
        try
        {
            log = BanditFeedbackReader.Read(options.Log);
        }
        catch (LogFormatException e)
        {
            stderr.WriteLine($"error: {e.Message}");
            return ExitCodes.BadInput;
        }
        if (options.Policy == OffPolicyEvaluation.Bts && log.Positions > log.Items)
        {
            stderr.WriteLine($"error: {options.Log}: the bts policy fills {log.Positions} slots but the catalog has only {log.Items} items");
            return ExitCodes.BadInput;
        }
        if (log.Rows < options.Settings.RewardModelFolds)
        {
            stderr.WriteLine($"error: {options.Log}: {log.Rows} rows cannot be split into {options.Settings.RewardModelFolds} folds (--folds)");
            return ExitCodes.BadInput;
        }

        double[] policy;
        var policyName = options.Policy;
        if (options.AgentFile is { } network)
        {
            var code = AgentProbabilities(options, network, log, out var agentPolicy, out policyName);
            if (code != ExitCodes.Success) return code;
            policy = agentPolicy!;
        }
        else policy = OffPolicyEvaluation.PolicyProbabilities(options.Policy, log, options.Settings);
        var result = OffPolicyEvaluation.Evaluate(log, policyName, policy, options.Settings);
        var outDir = options.Out ?? Path.Combine("runs", $"evaluate-{policyName.Replace(':', '-')}-{DateTime.Now:yyyyMMdd-HHmmss}");
        var jsonPath = Path.Combine(outDir, "evaluation.json");
        try
        {
            Directory.CreateDirectory(outDir);
            var json = Json(result, options.Log);
            if (options.AgentFile is { } file)
            {
                json["network"] = Path.GetFullPath(file);
                json["scenario"] = Path.GetFullPath(options.Scenario!);
            }
            File.WriteAllText(jsonPath, json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"error: cannot write {jsonPath}: {e.Message}");
            return ExitCodes.Failure;
        }
        stdout.Write(Table(result, options.Log));
        stdout.WriteLine($"Written: {Path.GetFullPath(jsonPath)}");
        return ExitCodes.Success;
    }

    /// <summary>π of an <c>agent:FILE</c> policy; on a problem, says why in one line and returns its exit code.</summary>
    private int AgentProbabilities(Options options, string network, BanditFeedback log, out double[]? probabilities, out string name)
    {
        probabilities = null;
        name = options.Policy;
        var loaded = ScenarioLoader.LoadFile(options.Scenario!);
        if (!loaded.Ok)
        {
            foreach (var p in loaded.Problems) stderr.WriteLine(p.ToString());
            return ExitCodes.BadInput;
        }
        var spec = loaded.Spec!;
        var reinforce = spec.Agents.Where(x => Names.IsPolicyGradient(x.Kind)).ToArray();
        var agent = options.AgentId is { } id ? reinforce.FirstOrDefault(x => x.Id == id) : reinforce.Length == 1 ? reinforce[0] : null;
        if (agent is null)
        {
            var choices = string.Join(", ", reinforce.Select(x => x.Id));
            stderr.WriteLine(options.AgentId is not null || reinforce.Length == 0
                ? $"error: {options.Scenario}: no reinforce agent '{options.AgentId}' (reinforce agents: {(choices.Length > 0 ? choices : "none")})"
                : $"error: {options.Scenario}: several reinforce agents ({choices}); name the network's with --agent");
            return ExitCodes.BadInput;
        }
        try
        {
            var world = new World(spec);
            // Checked before TorchSharp loads: a log of another world is the likelier mistake, and cheap to name.
            AgentPolicy.CheckLogMatches(log, world);
            var scorer = new PolicyScorer(SavedPolicyNetwork.Load(world, agent, network), world);
            probabilities = AgentPolicy.ActionProbabilities(log, scorer, world);
            name = OffPolicyEvaluation.AgentPrefix + agent.Id;
            return ExitCodes.Success;
        }
        catch (Exception e) when (e is LogFormatException or InvalidDataException)
        {
            stderr.WriteLine($"error: {e.Message}");
            return ExitCodes.BadInput;
        }
        catch (TorchUnavailableException e)
        {
            stderr.WriteLine($"error: {e.Message}");
            return ExitCodes.Failure;
        }
    }

    /// <summary>The result table for people.</summary>
    public static string Table(EvaluationResult r, string logPath)
    {
        var s = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        s.AppendLine(string.Create(inv, $"Policy '{r.Policy}' on {logPath}: {r.Rows:N0} rows, {r.Items} items, {r.Positions} slot(s); logged click rate {r.LoggedReward:F5}; largest importance weight {r.MaxWeight:G4}"));
        if (r.RewardModel is { } m)
            s.AppendLine(string.Create(inv, $"Reward model: logistic regression, {m.Features} features, {m.Folds}-fold cross-fitted, L2 {r.Settings.RewardModelL2:G3}, out-of-fold log-loss {m.OutOfFoldLogLoss:F5}"));
        if (r.Truth is { } truth) s.AppendLine(string.Create(inv, $"True value (exact expected reward under the simulator's choice model): {truth:F5}"));
        var level = string.Create(inv, $"{r.Settings.Confidence * 100:G3}% CI");
        s.AppendLine();
        s.Append(string.Create(inv, $"{"estimator",-10} {"value",9}  {level,-21}"));
        if (r.Truth is not null) s.Append(string.Create(inv, $" {"error",9} {"rel.err",8}  covers"));
        s.AppendLine();
        foreach (var e in r.Estimates)
        {
            s.Append(string.Create(inv, $"{e.Name,-10} {e.Value,9:F5}  [{e.Low:F5}, {e.High:F5}]  "));
            if (r.Truth is { } t && e.Error is { } err)
                s.Append(string.Create(inv, $" {err,9:+0.00000;-0.00000} {(t != 0 ? err / t : 0),8:+0.0%;-0.0%}  {(e.CoversTruth(t) == true ? "yes" : "no")}"));
            s.AppendLine();
        }
        s.AppendLine(string.Create(inv, $"Intervals: percentile bootstrap, {r.Settings.BootstrapResamples} resamples, seed {r.Settings.Seed}."));
        return s.ToString();
    }

    /// <summary>evaluation.json: figures rounded to 8 decimals so that files diff cleanly.</summary>
    public static JsonObject Json(EvaluationResult r, string logPath)
    {
        var estimates = new JsonObject();
        foreach (var e in r.Estimates)
        {
            var node = new JsonObject { ["value"] = Round(e.Value), ["ci"] = new JsonArray(Round(e.Low), Round(e.High)) };
            if (e.Error is { } err)
            {
                node["error"] = Round(err);
                node["ciCoversTruth"] = e.CoversTruth(r.Truth);
            }
            estimates[e.Name] = node;
        }
        var json = new JsonObject
        {
            ["policy"] = r.Policy,
            ["log"] = Path.GetFullPath(logPath),
            ["rows"] = r.Rows,
            ["items"] = r.Items,
            ["positions"] = r.Positions,
            ["loggedReward"] = Round(r.LoggedReward),
            ["maxWeight"] = Round(r.MaxWeight),
            ["confidence"] = r.Settings.Confidence,
            ["bootstrap"] = r.Settings.BootstrapResamples,
            ["seed"] = r.Settings.Seed,
            ["switchThreshold"] = r.Settings.SwitchThreshold,
        };
        if (r.Truth is { } truth) json["truth"] = Round(truth);
        if (r.RewardModel is { } m)
            json["rewardModel"] = new JsonObject { ["folds"] = m.Folds, ["l2"] = r.Settings.RewardModelL2, ["features"] = m.Features, ["outOfFoldLogLoss"] = Round(m.OutOfFoldLogLoss) };
        json["estimates"] = estimates;
        return json;
    }

    private static double Round(double v) => Math.Round(v, 8);

    private static Options? Parse(string[] args, out string? error)
    {
        error = null;
        string? log = null, policy = null, outDir = null, scenario = null, agentId = null;
        var settings = new EvaluationSettings();
        for (var i = 0; i < args.Length; i++)
        {
            var a = args[i];
            string? Value() => i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? args[++i] : null;
            switch (a)
            {
                case "--policy":
                    policy = Value();
                    if (policy is { } p && p.StartsWith(OffPolicyEvaluation.AgentPrefix, StringComparison.Ordinal))
                    {
                        if (p.Length == OffPolicyEvaluation.AgentPrefix.Length) return Fail("--policy agent: needs the network's file, e.g. agent:runs/pg-offline.bin", out error);
                        break;
                    }
                    if (policy is null || !OffPolicyEvaluation.Policies.Contains(policy))
                        return Fail($"--policy needs one of {PolicyChoices}, got '{policy}'", out error);
                    break;
                case "--scenario":
                    scenario = Value();
                    if (scenario is null) return Fail("--scenario needs a scenario file", out error);
                    break;
                case "--agent":
                    agentId = Value();
                    if (agentId is null) return Fail("--agent needs an agent id", out error);
                    break;
                case "--estimators":
                    var list = Value()?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(x => x.ToLowerInvariant()).Distinct().ToArray();
                    if (list is null || list.Length == 0) return Fail("--estimators needs a comma-separated list, e.g. ipw,dr", out error);
                    if (list.FirstOrDefault(x => !OffPolicyEstimators.All.Contains(x)) is { } unknown)
                        return Fail($"unknown estimator '{unknown}' (estimators: {string.Join(", ", OffPolicyEstimators.All)})", out error);
                    settings = settings with { Estimators = OffPolicyEstimators.All.Where(list.Contains).ToArray() };
                    break;
                case "--out":
                    outDir = Value();
                    if (outDir is null) return Fail("--out needs a folder", out error);
                    break;
                case var o when WholeNumberOptions.TryGetValue(o, out var option):
                    if (Int(Value(), option.Min) is not { } whole) return Fail($"{o} needs a whole number ≥ {option.Min}", out error);
                    settings = option.Apply(settings, whole);
                    break;
                case var o when NumberOptions.TryGetValue(o, out var option):
                    if (Real(Value()) is not { } number || !option.Valid(number)) return Fail($"{o} needs {option.Allowed}", out error);
                    settings = option.Apply(settings, number);
                    break;
                default:
                    if (a.StartsWith('-')) return Fail($"unknown option '{a}'", out error);
                    if (log is not null) return Fail($"unexpected argument '{a}' (evaluate takes one log file)", out error);
                    log = a;
                    break;
            }
        }
        if (log is null) return Fail("evaluate needs a log file, e.g. ../shared/data/obd/bts/men/men.csv", out error);
        if (policy is null) return Fail($"evaluate needs --policy ({PolicyChoices})", out error);
        var options = new Options(log, policy, outDir, settings, scenario, agentId);
        if (options.AgentFile is not null && scenario is null)
            return Fail("--policy agent:FILE needs --scenario, the scenario whose agent the network belongs to", out error);
        if (options.AgentFile is null && (scenario ?? agentId) is not null)
            return Fail("--scenario and --agent apply only to --policy agent:FILE", out error);
        return options;
    }

    private static string PolicyChoices => $"{string.Join(", ", OffPolicyEvaluation.Policies)}, {OffPolicyEvaluation.AgentPrefix}FILE";

    private static Options? Fail(string message, out string? error)
    {
        error = message;
        return null;
    }

    private static int? Int(string? text, int min) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v >= min ? v : null;

    private static double? Real(string? text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) ? v : null;
}
