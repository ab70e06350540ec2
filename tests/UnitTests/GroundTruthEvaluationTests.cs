using System.Globalization;
using MultiAgentRec.Client.Scenarios;
using MultiAgentRec.Contracts;
using MultiAgentRec.Evaluation;
using MultiAgentRec.Simulation;

namespace MultiAgentRec.UnitTests;

public sealed class GroundTruthEvaluationTests : IDisposable
{
    private const int Rows = 4000;
    // expected_reward_* are written with 9 significant digits and are below 1.
    private const double NineDigits = 1e-9;

    private readonly string _dir = Directory.CreateTempSubdirectory("mar-simlog-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static SimulationSpec Spec()
    {
        var result = ScenarioLoader.Parse("""
            name: simlog
            seed: 23
            catalog: {items: 20, topics: 4, embeddingDim: 8}
            users: {count: 400, segments: 3}
            choice: {noClickUtility: 1.0}
            arms: [random]
            """, "test.yaml");
        Assert.True(result.Ok, string.Join(Environment.NewLine, result.Problems));
        return result.Spec!;
    }

    private BanditFeedback WriteAndRead()
    {
        var path = SimulatedInteractionLog.Write(Spec(), Rows, new SimulatedInteractionLog.LoggingPolicy(), _dir);
        return BanditFeedbackReader.Read(path);
    }

    [Fact]
    public void Logged_expected_rewards_are_the_users_exact_click_probabilities()
    {
        var log = WriteAndRead();
        Assert.NotNull(log.ExpectedReward);
        // Row 0 is user 0's first step: rebuild that user and ask the choice model directly.
        var world = new World(Spec() with { SlateSize = 1 });
        var user = new SimulatedUser(world, 0);
        var utilities = user.Utilities();
        for (var a = 0; a < log.Items; a++)
            Assert.Equal(world.Choice.ExpectedClick(utilities, [a]), log.ExpectedReward![a], NineDigits);

        // Sampled clicks agree with the expected reward of the logged items: the difference of the means
        // has standard deviation √(Σ q(1 − q)) / n; four of them is a 1-in-15,000 miss.
        double sumQ = 0, variance = 0;
        for (var r = 0; r < log.Rows; r++)
        {
            var q = log.ExpectedReward![r * log.Items + log.Item[r]];
            sumQ += q;
            variance += q * (1 - q);
        }
        Assert.Equal(sumQ / log.Rows, log.Reward.Average(), 4 * Math.Sqrt(variance) / log.Rows);
    }

    [Fact]
    public void Dr_error_against_the_truth_is_within_its_bootstrap_interval_on_a_simulator_log()
    {
        var log = WriteAndRead();
        var policy = UniformPolicy.ActionProbabilities(log);
        var result = OffPolicyEvaluation.Evaluate(log, "uniform", policy, new EvaluationSettings { BootstrapResamples = 500 });

        // The truth, straight from the log: the mean over rows of the average expected reward of the items.
        double truth = 0;
        for (var r = 0; r < log.Rows; r++)
        for (var a = 0; a < log.Items; a++) truth += log.ExpectedReward![r * log.Items + a] / log.Items;
        truth /= log.Rows;
        Assert.Equal(truth, result.Truth!.Value, 1e-12);

        var dr = result.Estimates.Single(e => e.Name == OffPolicyEstimators.Dr);
        Assert.Equal(dr.Value - truth, dr.Error!.Value, 1e-12);
        Assert.True(dr.Low <= truth && truth <= dr.High,
            string.Create(CultureInfo.InvariantCulture, $"truth {truth:F5} outside DR's interval [{dr.Low:F5}, {dr.High:F5}]"));
        // Logging favours what users like, so the uniform policy earns less than the log did.
        Assert.True(truth < log.Reward.Average());
    }
}
