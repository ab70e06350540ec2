using MultiAgentRec.Evaluation;

namespace MultiAgentRec.UnitTests;

public sealed class OffPolicyEstimatorTests : IDisposable
{
    // Every hand value below is a sum of a few terms with short binary expansions; 1e-12 covers the
    // rounding of a handful of double additions and one division.
    private const double Exact = 1e-12;

    private readonly string _dir = Directory.CreateTempSubdirectory("mar-ope-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Four rows: weights w, rewards r, q̂ at the logged action, q̂ under the policy.</summary>
    private static EstimatorTerms FourRows() => new(
        Weight: [2, 0.5, 1, 4],
        Reward: [1, 0, 1, 0],
        ModelAtLogged: [0.5, 0.2, 0.6, 0.1],
        ModelUnderPolicy: [0.4, 0.3, 0.5, 0.2]);

    [Theory]
    // ipw = (2·1 + 1·1) / 4
    [InlineData(OffPolicyEstimators.Ipw, 0.75)]
    // snipw = 3 / (2 + 0.5 + 1 + 4)
    [InlineData(OffPolicyEstimators.Snipw, 0.4)]
    // dm = (0.4 + 0.3 + 0.5 + 0.2) / 4
    [InlineData(OffPolicyEstimators.Dm, 0.35)]
    // corrections w(r − q̂): 1, −0.1, 0.4, −0.4 (sum 0.9); dr = (1.4 + 0.9) / 4
    [InlineData(OffPolicyEstimators.Dr, 0.575)]
    // sndr = 0.35 + 0.9 / 7.5
    [InlineData(OffPolicyEstimators.Sndr, 0.47)]
    // τ = 3 drops row 4 (w = 4): (1.4 + 1 − 0.1 + 0.4) / 4
    [InlineData(OffPolicyEstimators.SwitchDr, 0.675)]
    public void Estimators_match_hand_computations_on_four_rows(string estimator, double expected)
    {
        Assert.Equal(expected, OffPolicyEstimators.Estimate(estimator, FourRows(), [0, 1, 2, 3], switchThreshold: 3), Exact);
    }

    [Fact]
    public void Switch_dr_with_an_infinite_threshold_is_dr()
    {
        var terms = FourRows();
        Assert.Equal(OffPolicyEstimators.Estimate(OffPolicyEstimators.Dr, terms, [0, 1, 2, 3], 3),
            OffPolicyEstimators.Estimate(OffPolicyEstimators.SwitchDr, terms, [0, 1, 2, 3], double.PositiveInfinity), Exact);
    }

    [Fact]
    public void A_bootstrap_sample_counts_a_repeated_row_as_often_as_it_appears()
    {
        // Rows 0, 0, 3: ipw = (2 + 2 + 0) / 3, snipw = 4 / (2 + 2 + 4).
        Assert.Equal(4.0 / 3, OffPolicyEstimators.Estimate(OffPolicyEstimators.Ipw, FourRows(), [0, 0, 3], 3), Exact);
        Assert.Equal(0.5, OffPolicyEstimators.Estimate(OffPolicyEstimators.Snipw, FourRows(), [0, 0, 3], 3), Exact);
    }

    [Fact]
    public void Uniform_policy_ipw_and_snipw_from_a_log_file_match_hand_computation()
    {
        // Two items, one slot; uniform π = 1/2, so w = 0.5/propensity = 1, 2, 2, 1.
        var path = Path.Combine(_dir, "log.csv");
        File.WriteAllText(path, ",item_id,position,click,propensity_score\n0,0,1,1,0.5\n1,1,1,0,0.25\n2,1,1,1,0.25\n3,0,1,0,0.5\n");
        var log = BanditFeedbackReader.Read(path);
        Assert.Equal(2, log.Items);
        var settings = new EvaluationSettings { Estimators = [OffPolicyEstimators.Ipw, OffPolicyEstimators.Snipw], BootstrapResamples = 10 };
        var result = OffPolicyEvaluation.Evaluate(log, "uniform", UniformPolicy.ActionProbabilities(log), settings);
        Assert.Null(result.RewardModel);
        Assert.Equal(0.75, result.Estimates[0].Value, Exact); // (1·1 + 2·1) / 4
        Assert.Equal(0.5, result.Estimates[1].Value, Exact);  // 3 / (1 + 2 + 2 + 1)
    }

    [Fact]
    public void Percentile_quantiles_interpolate_between_order_statistics()
    {
        double[] sorted = [1, 2, 3, 4, 5];
        Assert.Equal(1.0, PercentileBootstrap.Quantile(sorted, 0), Exact);
        Assert.Equal(3.0, PercentileBootstrap.Quantile(sorted, 0.5), Exact);
        Assert.Equal(1.1, PercentileBootstrap.Quantile(sorted, 0.025), Exact); // h = 0.1
        Assert.Equal(5.0, PercentileBootstrap.Quantile(sorted, 1), Exact);
    }

    [Fact]
    public void Bootstrap_intervals_are_reproducible_from_the_seed_and_contain_a_constant_statistic()
    {
        var a = PercentileBootstrap.Intervals(50, 200, 7, 0.95, [s => s.Average(), _ => 0.25]);
        var b = PercentileBootstrap.Intervals(50, 200, 7, 0.95, [s => s.Average(), _ => 0.25]);
        Assert.Equal(a, b);
        Assert.Equal((0.25, 0.25), a[1]);
        Assert.True(a[0].Low < 24.5 && 24.5 < a[0].High); // the mean index of 0..49
    }
}
