using MultiAgentRec.Coordination;
using MultiAgentRec.Simulation;

namespace MultiAgentRec.UnitTests;

public sealed class SoloPolicyCreditTests
{
    private static double Inclusion(float[] scores, double temperature, int index, int k) =>
        PlackettLuceInclusion.Probability(scores, temperature, index, k, new double[scores.Length + k]);

    private static float[] LogWeights(params double[] weights) => weights.Select(w => (float)Math.Log(w)).ToArray();

    [Fact]
    public void Inclusion_of_a_two_of_three_slate_matches_a_hand_computation()
    {
        // PL weights 1, 2, 3 (τ = 1, scores their logs), k = 2: an item is shown unless drawn last.
        //   P(0 last) = (2/6)(3/4) + (3/6)(2/3) = 7/12  → 5/12
        //   P(1 last) = (1/6)(3/5) + (3/6)(1/3) = 4/15  → 11/15
        //   P(2 last) = (1/6)(2/5) + (2/6)(1/4) = 3/20  → 17/20
        // The trapezoid rule at step 0.5 is off by 5e-8 here (the cut tail e^−22 ≈ 3e-10): 1e-7.
        var scores = LogWeights(1, 2, 3);

        Assert.Equal(5.0 / 12, Inclusion(scores, 1, 0, 2), 1e-7);
        Assert.Equal(11.0 / 15, Inclusion(scores, 1, 1, 2), 1e-7);
        Assert.Equal(17.0 / 20, Inclusion(scores, 1, 2, 2), 1e-7);
    }

    [Fact]
    public void Inclusion_of_the_first_draw_is_the_softmax_and_a_short_list_is_always_shown()
    {
        var scores = new float[] { 0.3f, -1.2f, 2.0f, 0.9f };
        var softmax = SlateSamplingTests.Softmax(scores, 0.7, []);
        for (var i = 0; i < scores.Length; i++) Assert.Equal(softmax[i], Inclusion(scores, 0.7, i, 1), 1e-7);
        Assert.Equal(1, Inclusion(scores, 0.7, 1, 4));
    }

    [Theory]
    [InlineData(1.0, 4)]
    [InlineData(0.1, 3)]
    [InlineData(0.02, 5)]
    public void Inclusion_matches_the_frequency_of_plackett_luce_draws(double temperature, int k)
    {
        // 12 standard-normal z-scores; at τ = 0.02 the weights span e^200, the near-greedy case the
        // coordinator runs at. Binomial frequencies of 40,000 draws: 4 standard errors, at most 0.01.
        var rng = new SimRandom(601);
        var scores = Enumerable.Range(0, 12).Select(_ => (float)rng.NextGaussian()).ToArray();
        const int draws = 40_000;
        var shown = new int[scores.Length];
        for (var d = 0; d < draws; d++)
            foreach (var i in SlateSamplingTests.Sample(scores, temperature, k, ref rng).Slate) shown[i]++;

        double sum = 0;
        for (var i = 0; i < scores.Length; i++)
        {
            var p = Inclusion(scores, temperature, i, k);
            sum += p;
            var se = Math.Sqrt(p * (1 - p) / draws);
            Assert.InRange((double)shown[i] / draws, p - 4 * se - 1e-9, p + 4 * se + 1e-9);
        }
        // Inclusions add up to the slate size.
        Assert.Equal(k, sum, 1e-6);
    }

    /// <summary>
    /// The constructed case: the logging policy β is PL with weights 1, 2, 3 over items 0, 1, 2 and k = 2;
    /// the agent's own list is items 2 and 1 only (two items for a slate of two: it shows both, always).
    /// Items are clicked independently with c = (0.3, 0.2, 0.1) (the item-level model the estimator
    /// assumes). The agent's own policy earns c₁ + c₂ = 0.3 clicks per slate, by hand.
    /// </summary>
    [Theory]
    [InlineData(10.0, 0.3)]
    // Clip 1.2: item 1's ratio 1/(11/15) = 15/11 ≈ 1.364 is cut to 1.2, item 2's 20/17 ≈ 1.176 is not:
    //   E = (11/15)·0.2·1.2 + (17/20)·0.1·(20/17) = 0.176 + 0.1 = 0.276, a bias of −0.024.
    [InlineData(1.2, 0.276)]
    public void Credit_expectation_over_the_logging_policy_matches_the_hand_computed_value(double clip, double expected)
    {
        const int k = 2;
        var credit = new SoloPolicyCredit(k, temperature: 1, clip);
        var logging = LogWeights(1, 2, 3);
        var own = LogWeights(4, 1);
        int[] ownItems = [2, 1];
        double[] click = [0.3, 0.2, 0.1];

        // Enumerate β's six ordered slates exactly.
        double expectation = 0;
        for (var first = 0; first < 3; first++)
        for (var second = 0; second < 3; second++)
        {
            if (second == first) continue;
            var w = new[] { 1.0, 2, 3 };
            var probability = w[first] / 6 * (w[second] / (6 - w[first]));
            foreach (var item in new[] { first, second })
            {
                var at = Array.IndexOf(ownItems, item);
                var policy = at < 0 ? 0 : credit.Inclusion(own, at, new double[4]);
                expectation += probability * click[item] * credit.Credit(policy, credit.Inclusion(logging, item, new double[5]));
            }
        }

        // Inclusions are good to 1e-7 and ratios of them to a few times that.
        Assert.Equal(expected, expectation, 1e-6);
    }

    [Fact]
    public void Credit_is_unbiased_on_average_when_clicks_follow_the_item_level_model()
    {
        // A 14-item union with the ensemble's scores, an agent that lists 7 of them with scores of its
        // own, k = 4, τ = 0.5, clip large enough never to bind. Draw slates from β and independent
        // clicks; the mean credit must match the agent's own policy's clicks, measured by drawing from
        // the agent's policy itself. Both means are over 60,000 draws of a quantity in [0, ~clip·k]:
        // 4 standard errors of their difference.
        const int k = 4, draws = 60_000;
        const double temperature = 0.5;
        var rng = new SimRandom(602);
        var union = Enumerable.Range(0, 14).Select(_ => (float)rng.NextGaussian()).ToArray();
        int[] ownItems = [3, 9, 0, 12, 5, 7, 1];
        var own = ownItems.Select(_ => (float)(1.5 * rng.NextGaussian())).ToArray();
        var click = Enumerable.Range(0, 14).Select(_ => 0.05 + 0.4 * rng.NextDouble()).ToArray();
        var credit = new SoloPolicyCredit(k, temperature, clip: 1e6);
        var scratch = new double[32];
        var loggingInclusion = Enumerable.Range(0, 14).Select(i => credit.Inclusion(union, i, scratch)).ToArray();
        var ownInclusion = Enumerable.Range(0, ownItems.Length).Select(j => credit.Inclusion(own, j, scratch)).ToArray();

        double sum = 0, sumSq = 0;
        for (var d = 0; d < draws; d++)
        {
            double v = 0;
            foreach (var item in SlateSamplingTests.Sample(union, temperature, k, ref rng).Slate)
            {
                if (rng.NextDouble() >= click[item]) continue;
                var at = Array.IndexOf(ownItems, item);
                v += at < 0 ? 0 : credit.Credit(ownInclusion[at], loggingInclusion[item]);
            }
            sum += v;
            sumSq += v * v;
        }
        double onPolicy = 0, onSq = 0;
        for (var d = 0; d < draws; d++)
        {
            double v = 0;
            foreach (var j in SlateSamplingTests.Sample(own, temperature, k, ref rng).Slate)
                if (rng.NextDouble() < click[ownItems[j]]) v++;
            onPolicy += v;
            onSq += v * v;
        }
        var mean = sum / draws;
        var truth = onPolicy / draws;
        var se = Math.Sqrt((sumSq / draws - mean * mean) / draws + (onSq / draws - truth * truth) / draws);
        // The exact value, for the record: Σ_j P_π(j ∈ S)·c_j.
        var exact = ownItems.Select((item, j) => ownInclusion[j] * click[item]).Sum();
        Assert.InRange(mean, truth - 4 * se, truth + 4 * se);
        Assert.InRange(exact, truth - 4 * se, truth + 4 * se);
    }

    [Fact]
    public void Credit_is_zero_for_an_item_the_agent_would_never_show_and_clipped_above()
    {
        var credit = new SoloPolicyCredit(3, 0.1, clip: 5);
        Assert.Equal(0, credit.Credit(0, 0.4));
        Assert.Equal(2, credit.Credit(0.8, 0.4), 12);
        Assert.Equal(5, credit.Credit(0.9, 0.01));
    }
}
