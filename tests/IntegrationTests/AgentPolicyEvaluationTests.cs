using System.Text.Json.Nodes;
using MultiAgentRec.Agents;
using MultiAgentRec.Client;
using MultiAgentRec.Evaluation;
using MultiAgentRec.Simulation;
using static TorchSharp.torch;

namespace MultiAgentRec.IntegrationTests;

/// <summary>
/// <c>evaluate --policy agent:FILE</c>: a REINFORCE agent's saved network as the evaluation policy.
/// Needs TorchSharp (run through eng/modern-runtime.sh on older Linux).
/// </summary>
public sealed class AgentPolicyEvaluationTests : IDisposable
{
    private const string Scenario = TestScenarios.OneSlotReinforce;

    private readonly string _dir = Directory.CreateTempSubdirectory("mar-agent-eval-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static Task<(int Code, string Out, string Err)> Run(params string[] args) => CliHarness.Run(args);

    private string WriteScenario()
    {
        var path = Path.Combine(_dir, "agent-eval.yaml");
        File.WriteAllText(path, Scenario);
        return path;
    }

    private static void AssertOneLineBadInput((int Code, string Out, string Err) result, string problem)
    {
        Assert.True(result.Code == ExitCodes.BadInput, result.Err);
        var line = Assert.Single(result.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(problem, line);
    }

    [Fact]
    public void Agent_policy_probabilities_are_the_softmax_of_the_network_forward_pass()
    {
        var spec = TestScenarios.Parse(Scenario);
        var world = new World(spec);
        var log = BanditFeedbackReader.Read(SimulatedInteractionLog.Write(spec, 300, new SimulatedInteractionLog.LoggingPolicy(), _dir));
        using var network = ReinforcePolicyNetwork.Create(world, spec.Agents[0]);
        var snapshot = network.Snapshot(0);
        var p = AgentPolicy.ActionProbabilities(log, new PolicyScorer(snapshot, world), world);

        int n = log.Rows, items = log.Items, inputs = ReinforcePolicyNetwork.FeatureSize(world);
        var features = new float[n * inputs];
        for (var r = 0; r < n; r++)
            for (var j = 0; j < log.Context[r].Count; j++) features[r * inputs + log.Context[r].Indices[j]] = (float)log.Context[r].Values[j];
        float[] logits, reference;
        using (NewDisposeScope())
        using (no_grad())
        {
            var z = network.forward(tensor(features).reshape(n, inputs));
            logits = z.data<float>().ToArray();
            reference = nn.functional.softmax(z, 1).data<float>().ToArray();
        }

        // Tolerance from float rounding. Both forward passes compute each logit in float from the same
        // inputs and weights, in different orders, through chained sums over the inputs, the hidden
        // units, the embedding and the catalog dimension; any order's error is at most γ_N·M, with
        // γ_N = Nε/(1 − Nε), N the chain's total length and M the logit's sum of absolute terms (the
        // same forward pass on absolute values). Two passes differ by at most Δ = 2γ_N·M, which moves
        // a softmax probability by a factor within e^{±2Δ}. Torch's float softmax adds a relative
        // error of about (K + 4 + 2·max|z|)·ε (the max shift, the exponential, the K-term sum, the division).
        var byName = snapshot.Tensors.ToDictionary(t => t.Name.TrimStart('_'), t => t.Values);
        float[] w1 = byName["hidden.weight"], b1 = byName["hidden.bias"], w2 = byName["userOut.weight"], b2 = byName["userOut.bias"];
        float[] projection = byName["itemProjection.weight"], bias = byName["itemBias"];
        int hidden = b1.Length, embedding = b2.Length, dim = world.Catalog.Dim;
        const double eps = 1.0 / (1 << 24);
        var chain = inputs + hidden + embedding + dim + 4;
        var gamma = chain * eps / (1 - chain * eps);
        var itemAbs = new double[items * embedding];
        for (var a = 0; a < items; a++)
            for (var e = 0; e < embedding; e++)
                for (var d = 0; d < dim; d++) itemAbs[a * embedding + e] += Math.Abs(projection[e * dim + d] * world.Catalog.Embedding(a)[d]);
        var hiddenAbs = new double[hidden];
        var userAbs = new double[embedding];
        double largestGap = 0;
        for (var r = 0; r < n; r++)
        {
            for (var h = 0; h < hidden; h++)
            {
                hiddenAbs[h] = Math.Abs(b1[h]);
                for (var i = 0; i < inputs; i++) hiddenAbs[h] += Math.Abs(w1[h * inputs + i] * features[r * inputs + i]);
            }
            for (var e = 0; e < embedding; e++)
            {
                userAbs[e] = Math.Abs(b2[e]);
                for (var h = 0; h < hidden; h++) userAbs[e] += Math.Abs(w2[e * hidden + h]) * hiddenAbs[h];
            }
            double largestM = 0, largestZ = 0;
            for (var a = 0; a < items; a++)
            {
                double m = Math.Abs(bias[a]);
                for (var e = 0; e < embedding; e++) m += userAbs[e] * itemAbs[a * embedding + e];
                largestM = Math.Max(largestM, m);
                largestZ = Math.Max(largestZ, Math.Abs(logits[r * items + a]));
            }
            var relative = Math.Exp(2 * 2 * gamma * largestM) - 1 + (items + 4 + 2 * largestZ) * eps;
            for (var a = 0; a < items; a++)
            {
                var q = reference[r * items + a];
                Assert.True(Math.Abs(p[r * items + a] - q) <= relative * q, $"row {r}, item {a}: {p[r * items + a]:R} vs torch {q:R}, tolerance {relative * q:G3}");
                largestGap = Math.Max(largestGap, Math.Abs(p[r * items + a] - 1.0 / items));
            }
        }
        // Not vacuous: the network's initial weights already make the policy far from uniform.
        Assert.True(largestGap > 1e-3, $"policy is uniform to within {largestGap:G3}");
    }

    /// <summary>Writes rows [from, to) of a simulator log, with its header and item_context.csv, into <paramref name="folder"/>.</summary>
    private static string Slice(string logs, int from, int to, string folder)
    {
        var lines = File.ReadAllLines(Path.Combine(logs, "interactions.csv"));
        Directory.CreateDirectory(folder);
        File.Copy(Path.Combine(logs, "item_context.csv"), Path.Combine(folder, "item_context.csv"));
        var path = Path.Combine(folder, "interactions.csv");
        File.WriteAllLines(path, lines.Take(1).Concat(lines.Skip(1 + from).Take(to - from)));
        return path;
    }

    [Fact]
    public async Task Agent_trained_on_a_simulated_log_is_evaluated_on_later_rows_with_every_estimator_DR_covering_the_truth()
    {
        var scenario = WriteScenario();
        var logs = Path.Combine(_dir, "simlog");
        var (simCode, _, simErr) = await Run("simulate-logs", scenario, "--out", logs, "--rows", "8000");
        Assert.True(simCode == ExitCodes.Success, simErr);
        // Train on the first 4,000 rows, evaluate on the next 4,000 (later rounds of the same users).
        // Evaluated on the rows it was trained on, the agent inherits their lucky clicks and every
        // estimator but DM overstates it by about 50 % (its interval misses the truth): held-out rows are
        // what an honest evaluation needs, and what makes the truth a fair check of the estimators.
        var training = Slice(logs, 0, 4000, Path.Combine(_dir, "train"));
        var heldOut = Slice(logs, 4000, 8000, Path.Combine(_dir, "heldout"));
        var network = Path.Combine(_dir, "pg.bin");
        var (trainCode, _, trainErr) = await Run("train-offline", scenario, training, "--agent", "pg", "--out", network, "--epochs", "10");
        Assert.True(trainCode == ExitCodes.Success, trainErr);

        var outDir = Path.Combine(_dir, "eval");
        var (code, output, err) = await Run("evaluate", heldOut, "--policy", $"agent:{network}", "--scenario", scenario, "--out", outDir, "--bootstrap", "200");
        Assert.True(code == ExitCodes.Success, err);
        Assert.Contains("True value", output);

        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "evaluation.json")))!;
        Assert.Equal("agent:pg", (string?)json["policy"]);
        Assert.Equal(Path.GetFullPath(network), (string?)json["network"]);
        Assert.Equal(4000, (int)json["rows"]!);
        var truth = (double)json["truth"]!;
        foreach (var name in OffPolicyEstimators.All)
        {
            var e = json["estimates"]![name]!;
            var ci = e["ci"]!.AsArray();
            Assert.True((double)ci[0]! <= (double)ci[1]!, name);
            // Both are rounded to 8 decimals in the file, so their difference is within 1.5e-8 of the error.
            Assert.Equal((double)e["value"]! - truth, (double)e["error"]!, 1.5e-8);
        }
        // Every seed is fixed, so this is one reproducible draw of a 95 % interval, not a coin toss per
        // run; when written, DR's error was +0.009 against a half-width of 0.056, the truth near the middle.
        Assert.True((bool)json["estimates"]!["dr"]!["ciCoversTruth"]!, $"DR's interval misses the truth {truth:F5}: {json["estimates"]!["dr"]}");

        // The uniform policy's true value is the mean expected reward over every held-out row and item.
        // Both truths are exact (no sampling) and training is deterministic, so no margin is needed.
        var uniformTruth = BanditFeedbackReader.Read(heldOut).ExpectedReward!.Average();
        Assert.True(truth > uniformTruth, $"agent's true value {truth:F5} not above uniform's {uniformTruth:F5}");
    }

    [Fact]
    public async Task Agent_policy_bad_inputs_are_one_line_bad_input()
    {
        var scenario = WriteScenario();
        var logs = Path.Combine(_dir, "simlog");
        var logPath = Path.Combine(logs, "interactions.csv");
        var (simCode, _, simErr) = await Run("simulate-logs", scenario, "--out", logs, "--rows", "50");
        Assert.True(simCode == ExitCodes.Success, simErr);

        var missing = Path.Combine(_dir, "nope.bin");
        // Argument errors: the problem, then the pointer to --help (as for every evaluate option).
        var noScenario = await Run("evaluate", logPath, "--policy", $"agent:{missing}");
        Assert.Equal(ExitCodes.BadInput, noScenario.Code);
        Assert.StartsWith("error: --policy agent:FILE needs --scenario", noScenario.Err);
        var scenarioWithoutAgent = await Run("evaluate", logPath, "--policy", "uniform", "--scenario", scenario);
        Assert.Equal(ExitCodes.BadInput, scenarioWithoutAgent.Code);
        Assert.StartsWith("error: --scenario and --agent apply only to --policy agent:FILE", scenarioWithoutAgent.Err);

        AssertOneLineBadInput(await Run("evaluate", logPath, "--policy", $"agent:{missing}", "--scenario", scenario), "file not found");
        AssertOneLineBadInput(await Run("evaluate", logPath, "--policy", $"agent:{missing}", "--scenario", scenario, "--agent", "nobody"), "no reinforce agent 'nobody'");

        var garbage = Path.Combine(_dir, "garbage.bin");
        File.WriteAllText(garbage, "not a network");
        AssertOneLineBadInput(await Run("evaluate", logPath, "--policy", $"agent:{garbage}", "--scenario", scenario), "cannot load it as the network of agent 'pg'");

        // A log without the agent's inputs, in the Open Bandit Dataset's shape: categorical user features.
        var obd = Path.Combine(_dir, "obd", "log.csv");
        Directory.CreateDirectory(Path.GetDirectoryName(obd)!);
        File.WriteAllText(obd, ",item_id,position,click,propensity_score,user_feature_0\n0,0,1,0,0.5,a1b2\n1,1,1,1,0.5,c3d4\n");
        File.WriteAllText(Path.Combine(_dir, "obd", "item_context.csv"), ",item_id\n" + string.Concat(Enumerable.Range(0, 60).Select(i => $"{i},{i}\n")));
        AssertOneLineBadInput(await Run("evaluate", obd, "--policy", $"agent:{garbage}", "--scenario", scenario, "--folds", "2"), "user features, the agent's network takes 12");

        // A log of another catalog.
        var small = Path.Combine(_dir, "small.yaml");
        File.WriteAllText(small, Scenario.Replace("items: 60", "items: 30"));
        var smallLogs = Path.Combine(_dir, "smalllog");
        Assert.Equal(ExitCodes.Success, (await Run("simulate-logs", small, "--out", smallLogs, "--rows", "50")).Code);
        AssertOneLineBadInput(await Run("evaluate", Path.Combine(smallLogs, "interactions.csv"), "--policy", $"agent:{garbage}", "--scenario", scenario), "mismatched item counts");
    }
}
