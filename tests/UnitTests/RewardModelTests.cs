using MultiAgentRec.Evaluation;

namespace MultiAgentRec.UnitTests;

public sealed class RewardModelTests
{
    // Newton stops when a step changes no weight by more than 1e-9; near the optimum the predicted
    // probabilities then sit within ~1e-9 of the maximum-likelihood ones, so 1e-7 is a safe margin.
    private const double Converged = 1e-7;

    /// <summary>Features: intercept (0) and "is group B" (1); group A clicks 1 in 5, group B 3 in 5.</summary>
    private static (SparseVector A, SparseVector B, SparseVector[] X, double[] Y) TwoGroups()
    {
        var a = new SparseVector([0], [1]);
        var b = new SparseVector([0, 1], [1, 1]);
        return (a, b, [a, a, a, a, a, b, b, b, b, b], [1, 0, 0, 0, 0, 1, 1, 1, 0, 0]);
    }

    [Fact]
    public void Logistic_regression_with_group_indicators_and_no_penalty_predicts_each_groups_click_rate()
    {
        // The saturated model's MLE is the group means: group A clicks 1 in 5, group B 3 in 5.
        var (a, b, x, y) = TwoGroups();
        var model = LogisticRegression.Fit(x, y, dim: 2, l2: 0);
        Assert.Equal(0.2, model.Predict(a), Converged);
        Assert.Equal(0.6, model.Predict(b), Converged);
    }

    [Fact]
    public void The_l2_penalty_shrinks_toward_the_overall_rate_but_leaves_the_intercept_free()
    {
        var (a, b, x, y) = TwoGroups();
        var model = LogisticRegression.Fit(x, y, dim: 2, l2: 1e6);
        // A huge penalty pins the group weight at 0, so both groups get the pooled rate 4/10.
        Assert.Equal(0.4, model.Predict(a), 1e-4);
        Assert.Equal(0.4, model.Predict(b), 1e-4);
    }

    [Fact]
    public void Thompson_sampling_probabilities_match_the_beta_posteriors_in_closed_form()
    {
        // Item 0 never shown: Beta(1, 1); item 1 shown once and clicked: Beta(2, 1), density 2θ.
        // P(θ₀ > θ₁) = ∫ (1 − θ)·2θ dθ = 1/3, so item 0 takes the single slot with probability 1/3.
        var log = new BanditFeedback
        {
            Source = "test", Items = 2, Positions = 1,
            Item = [1], Position = [0], Reward = [1], Propensity = [1],
            Context = [SparseVector.Empty], ContextDim = 0,
            ItemFeatures = [SparseVector.Empty, SparseVector.Empty], ItemFeatureDim = 0,
        };
        const int samples = 100_000;
        var p = BernoulliThompsonSamplingPolicy.SlotProbabilities(log, samples, seed: 3);
        // Monte Carlo standard error √(1/3 · 2/3 / n) ≈ 0.0015; five of them is a 1-in-a-million miss.
        var fiveSe = 5 * Math.Sqrt(1.0 / 3 * 2.0 / 3 / samples);
        Assert.Equal(1.0 / 3, p[0], fiveSe);
        Assert.Equal(1.0, p[0] + p[1], 1e-12);
    }
}
