using MultiAgentRec.Coordination;
using MultiAgentRec.Simulation;

namespace MultiAgentRec.UnitTests;

public sealed class HedgeWeightingTests
{
    private const double Eps = 1.0 / (1L << 52);

    [Fact]
    public void Hedge_weights_sum_to_one_after_every_update()
    {
        const int agents = 5;
        var hedge = new HedgeWeighting(agents, floor: 0.05, learningRate: 0.7, horizon: 100);
        var rng = new SimRandom(51);
        var losses = new double[agents];
        for (var round = 0; round < 100; round++)
        {
            for (var a = 0; a < agents; a++) losses[a] = rng.NextDouble();
            hedge.Update(losses);

            // A sum of A terms, each within a few roundings of exact.
            Assert.Equal(1.0, hedge.Weights.ToArray().Sum(), 4 * agents * Eps);
            Assert.All(hedge.Weights.ToArray(), w => Assert.InRange(w, 0.0, 1.0));
        }
    }

    [Fact]
    public void Hedge_weights_stay_uniform_under_equal_losses()
    {
        const int agents = 3;
        var hedge = new HedgeWeighting(agents, floor: 0.1, learningRate: 2, horizon: 10);
        Assert.All(hedge.Weights.ToArray(), w => Assert.Equal(1.0 / agents, w, 4 * Eps));

        for (var round = 0; round < 10; round++)
        {
            hedge.Update([0.3 * (round % 3), 0.3 * (round % 3), 0.3 * (round % 3)]);
            // Equal cumulative losses give every agent e^0 = 1 before normalising: only rounding differs.
            Assert.All(hedge.Weights.ToArray(), w => Assert.Equal(1.0 / agents, w, 4 * Eps));
        }
    }

    [Fact]
    public void Hedge_gives_more_weight_to_lower_loss_and_unfloored_ratios_are_exp_of_minus_eta_times_the_loss_gap()
    {
        const int agents = 3;
        const double floor = 0.1, eta = 0.4;
        var hedge = new HedgeWeighting(agents, floor, eta, horizon: 20);
        var cumulative = new double[agents];
        var rng = new SimRandom(52);
        for (var round = 0; round < 20; round++)
        {
            // Agent 0 tends to lose least and agent 2 most, but not every round.
            double[] losses = [0.6 * rng.NextDouble(), 0.2 + 0.6 * rng.NextDouble(), 0.4 + 0.6 * rng.NextDouble()];
            for (var a = 0; a < agents; a++) cumulative[a] += losses[a];
            hedge.Update(losses);

            var w = hedge.Weights.ToArray();
            for (var a = 0; a < agents; a++)
            for (var b = 0; b < agents; b++)
            {
                if (cumulative[a] < cumulative[b]) Assert.True(w[a] > w[b], $"round {round}: L{a} < L{b} but w{a} ≤ w{b}");

                // w = (1−γ)·softmax(−η·L) + γ/A, so the softmax part is (w − γ/A)/(1−γ), and the ratio of
                // two softmax parts is e^(−η·(L_a − L_b)).
                var sa = (w[a] - floor / agents) / (1 - floor);
                var sb = (w[b] - floor / agents) / (1 - floor);
                // Relative: subtracting γ/A loses at most a factor w/(w − γ/A) of precision; here the
                // softmax parts stay above e^(−η·20)/3 and w − γ/A above 1e-4, so a few ulps
                // magnified by at most 1e4 stays under 1e-11.
                Assert.Equal(Math.Exp(-eta * (cumulative[a] - cumulative[b])), sa / sb, 1e-11 * Math.Exp(-eta * (cumulative[a] - cumulative[b])));
            }
        }
    }

    [Fact]
    public void Hedge_floor_keeps_every_weight_at_least_gamma_over_A_after_huge_losses()
    {
        // A = 4 so that γ·(1/A) and γ/A are the same double (division by a power of two is exact).
        const int agents = 4;
        const double floor = 0.05;
        var hedge = new HedgeWeighting(agents, floor, learningRate: 5, horizon: 1000);
        for (var round = 0; round < 1000; round++) hedge.Update([0, 1, 1, 1]);

        // The losers' softmax parts are e^(−5000) = 0 in double: they live on the floor alone.
        var w = hedge.Weights.ToArray();
        Assert.All(w, x => Assert.True(x >= floor / agents, $"weight {x} below the floor {floor / agents}"));
        Assert.Equal(floor / agents, w[1]);
        Assert.Equal(1 - floor + floor / agents, w[0], 4 * Eps);
    }

    [Theory]
    [InlineData(2, 40)]
    [InlineData(3, 40)]
    [InlineData(5, 1000)]
    public void Hedge_default_learning_rate_is_sqrt_of_8_ln_A_over_T(int agents, int horizon)
    {
        var hedge = new HedgeWeighting(agents, floor: 0.05, learningRate: null, horizon);

        // The rate that bounds Hedge's regret by √(T·ln A / 2) (Freund and Schapire 1997).
        var expected = Math.Sqrt(8 * Math.Log(agents) / horizon);
        Assert.Equal(expected, hedge.LearningRate, 2 * Eps * expected);
        Assert.Equal(expected, HedgeWeighting.DefaultLearningRate(agents, horizon), 2 * Eps * expected);
    }

    [Fact]
    public void Hedge_default_rate_over_mean_losses_of_n_decisions_is_the_decision_level_rate_times_n()
    {
        // T rounds of n decisions, each round's loss the mean of n decision losses: Hedge at the level
        // of decisions uses √(8 ln A / (T·n)) on the sum, n times the mean, so on the mean √(8 ln A·n / T).
        const int agents = 3, rounds = 40, users = 2000;
        var decisionLevel = Math.Sqrt(8 * Math.Log(agents) / (rounds * users));
        var hedge = new HedgeWeighting(agents, floor: 0.05, learningRate: null, rounds, decisionsPerRound: users);
        Assert.Equal(decisionLevel * users, hedge.LearningRate, 1e-9);
        Assert.Equal(20.96, hedge.LearningRate, 0.01);
        // A row of a per-segment table learns from its own users only.
        var row = new SegmentedHedgeWeighting(rows: 4, agents, learn: true, 0.05, null, rounds, 1, decisionsPerRound: users / 4.0);
        row.Update([0, 0.5, 0.5, 0, 0, 0, 0, 0, 0, 0, 0, 0], [500, 0, 0, 0]);
        // Row 0 after one round: agent 0 lost 1, the others 1 − 0.5/500 = 0.999 each; weights follow exp(−η·L) with η = √(8 ln 3·500/40).
        var eta = Math.Sqrt(8 * Math.Log(agents) * 500 / rounds);
        var e = Math.Exp(-eta * (1 - 0.999));
        var expected0 = 0.95 * e / (e + 2) + 0.05 / 3;
        Assert.Equal(expected0, row.Row(0)[0], 1e-9);
    }

    [Fact]
    public void Hedge_uses_a_given_learning_rate_and_none_for_a_single_agent()
    {
        Assert.Equal(0.25, new HedgeWeighting(3, 0.05, 0.25, 40).LearningRate);
        // ln 1 = 0: one agent has nothing to learn, and its weight is 1 whatever its losses.
        var single = new HedgeWeighting(1, 0.05, null, 40);
        Assert.Equal(0, single.LearningRate);
        single.Update([1]);
        Assert.Equal(1.0, Assert.Single(single.Weights.ToArray()), 2 * Eps);
    }

    [Fact]
    public void Hedge_needs_at_least_one_agent()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new HedgeWeighting(0, 0.05, null, 40));
    }
}
