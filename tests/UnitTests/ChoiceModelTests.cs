using MultiAgentRec.Simulation;

namespace MultiAgentRec.UnitTests;

public sealed class ChoiceModelTests
{
    // Machine epsilon of double (2^-52): rounding tolerances below are small multiples of it.
    private const double Eps = 1.0 / (1L << 52);

    /// <summary>A random instance: utilities of n items, a slate of k distinct items, u₀ and a position decay.</summary>
    private static (float[] Utilities, int[] Slate, double NoClick, double Decay) RandomInstance(ref SimRandom rng)
    {
        var n = 2 + rng.NextInt(20);
        var k = 1 + rng.NextInt(Math.Min(n, 8));
        var utilities = new float[n];
        for (var i = 0; i < n; i++) utilities[i] = (float)(3 * rng.NextGaussian());
        return (utilities, RandomSlate(ref rng, n, k), 3 * rng.NextGaussian(), 2 * rng.NextDouble());
    }

    /// <summary>k distinct items out of n, by a partial Fisher-Yates shuffle.</summary>
    internal static int[] RandomSlate(ref SimRandom rng, int n, int k)
    {
        var all = Enumerable.Range(0, n).ToArray();
        for (var i = 0; i < k; i++)
        {
            var j = i + rng.NextInt(n - i);
            (all[i], all[j]) = (all[j], all[i]);
        }
        return all[..k];
    }

    [Fact]
    public void Choice_probabilities_sum_to_one_on_random_instances()
    {
        var rng = new SimRandom(11);
        for (var trial = 0; trial < 500; trial++)
        {
            var (utilities, slate, noClick, decay) = RandomInstance(ref rng);
            var model = new MultinomialLogitChoiceModel(noClick, decay, slate.Length);
            var p = new double[slate.Length + 1];

            model.Probabilities(utilities, slate, p);

            Assert.All(p, x => Assert.InRange(x, 0.0, 1.0));
            // k+1 quotients, each within one rounding of exact, of a total that is itself a sum of k+1
            // terms: the error of the sum is at most about 2(k+1) roundings.
            Assert.Equal(1.0, p.Sum(), 2 * (slate.Length + 1) * Eps);
        }
    }

    [Fact]
    public void Choice_probabilities_match_a_hand_computation()
    {
        // Utilities [1, 0, 2] shown in that order, u₀ = 0.5, decay 1 (attention 1, 1/2, 1/3):
        //   slot weights  e^1·1 = 2.718281828..., e^0·1/2 = 0.5, e^2·1/3 = 2.463018700...
        //   no-click      e^0.5 = 1.648721271...
        //   total         7.330021798802723
        //   P = [0.37084225709984, 0.06821262115232, 0.33601792289975], P(no click) = 0.22492719884809
        var model = new MultinomialLogitChoiceModel(noClickUtility: 0.5, positionDecay: 1, maxSlots: 3);
        float[] utilities = [1, 0, 2];
        var p = new double[4];

        model.Probabilities(utilities, [0, 1, 2], p);

        var total = Math.E + 0.5 + Math.Exp(2) / 3 + Math.Exp(0.5);
        // The model shifts by the largest utility before exponentiating, we do not: the two differ by
        // a few roundings of numbers below 1.
        const double tolerance = 8 * Eps;
        Assert.Equal(Math.E / total, p[0], tolerance);
        Assert.Equal(0.5 / total, p[1], tolerance);
        Assert.Equal(Math.Exp(2) / 3 / total, p[2], tolerance);
        Assert.Equal(Math.Exp(0.5) / total, p[3], tolerance);
        // The decimals written above, to the 14 places given.
        Assert.Equal(0.37084225709984, p[0], 1e-14);
        Assert.Equal(0.06821262115232, p[1], 1e-14);
        Assert.Equal(0.33601792289975, p[2], 1e-14);
        Assert.Equal(0.22492719884809, p[3], 1e-14);
        Assert.Equal(1 - 0.22492719884809, model.ExpectedClick(utilities, [0, 1, 2]), 1e-14);
    }

    [Fact]
    public void Expected_click_is_one_minus_the_no_click_probability()
    {
        var rng = new SimRandom(12);
        for (var trial = 0; trial < 500; trial++)
        {
            var (utilities, slate, noClick, decay) = RandomInstance(ref rng);
            var model = new MultinomialLogitChoiceModel(noClick, decay, slate.Length);
            var p = new double[slate.Length + 1];
            model.Probabilities(utilities, slate, p);

            // Both are quotients of the same shifted sums, each within a couple of roundings.
            Assert.Equal(1 - p[^1], model.ExpectedClick(utilities, slate), 4 * Eps);
        }
    }

    [Fact]
    public void Choose_frequencies_with_uniform_draws_match_the_probabilities()
    {
        var model = new MultinomialLogitChoiceModel(noClickUtility: 0.3, positionDecay: 1, maxSlots: 4);
        float[] utilities = [0.2f, -1f, 1.1f, 0.5f, 0.7f, -0.4f];
        int[] slate = [4, 0, 2, 5];
        var p = new double[slate.Length + 1];
        model.Probabilities(utilities, slate, p);

        const int draws = 50_000;
        var counts = new int[slate.Length + 1];
        var rng = new SimRandom(13);
        for (var i = 0; i < draws; i++)
        {
            var slot = model.Choose(utilities, slate, rng.NextDouble());
            counts[slot < 0 ? slate.Length : slot]++;
        }

        for (var outcome = 0; outcome <= slate.Length; outcome++)
        {
            // A frequency of N Bernoulli(p) draws has standard error √(p(1−p)/N); 4 of them.
            var se = Math.Sqrt(p[outcome] * (1 - p[outcome]) / draws);
            Assert.InRange((double)counts[outcome] / draws, p[outcome] - 4 * se, p[outcome] + 4 * se);
        }
    }

    [Fact]
    public void Choose_inverts_the_cdf_slots_first_then_no_click()
    {
        // Common random numbers rely on this exact mapping: [0, P0) → slot 0, [P0, P0+P1) → slot 1, ...,
        // and the top of the unit interval → no click.
        var model = new MultinomialLogitChoiceModel(noClickUtility: 0, positionDecay: 0.5, maxSlots: 3);
        float[] utilities = [0.5f, 1f, -0.5f];
        int[] slate = [1, 0, 2];
        var p = new double[4];
        model.Probabilities(utilities, slate, p);

        Assert.Equal(0, model.Choose(utilities, slate, 0));
        double cumulative = 0;
        for (var k = 0; k < slate.Length; k++)
        {
            Assert.Equal(k, model.Choose(utilities, slate, cumulative + p[k] / 2));
            cumulative += p[k];
        }
        Assert.Equal(-1, model.Choose(utilities, slate, cumulative + p[3] / 2));
        Assert.Equal(-1, model.Choose(utilities, slate, Math.BitDecrement(1.0)));
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(1.0)]
    [InlineData(2.0)]
    public void Same_item_gets_a_lower_click_probability_in_a_later_slot(double decay)
    {
        var model = new MultinomialLogitChoiceModel(noClickUtility: 0.5, positionDecay: decay, maxSlots: 3);
        float[] utilities = [1f, 0.4f, -0.3f];
        var first = new double[4];
        var last = new double[4];

        // Item 0 moves from the first slot to the last; the others move up.
        model.Probabilities(utilities, [0, 1, 2], first);
        model.Probabilities(utilities, [1, 2, 0], last);

        Assert.True(last[2] < first[0], $"P(click item 0) in slot 2 = {last[2]}, in slot 0 = {first[0]}");
    }

    [Fact]
    public void Without_position_decay_the_slot_does_not_matter()
    {
        // Every attention weight is (k+1)^0 = 1, so a permutation of the slate permutes the probabilities.
        var model = new MultinomialLogitChoiceModel(noClickUtility: 0.5, positionDecay: 0, maxSlots: 3);
        float[] utilities = [1f, 0.4f, -0.3f];
        var first = new double[4];
        var last = new double[4];

        model.Probabilities(utilities, [0, 1, 2], first);
        model.Probabilities(utilities, [1, 2, 0], last);

        Assert.Equal(first[0], last[2], 4 * Eps);
        Assert.Equal(first[3], last[3], 4 * Eps);
    }

    [Fact]
    public void Odds_of_a_slot_against_no_click_are_its_attention_times_exp_of_the_utility_gap()
    {
        // P(slot k) / P(no click) = (k+1)^(−decay) · e^(u − u₀): the total cancels, which pins the
        // attention formula independently of the normalisation.
        var rng = new SimRandom(14);
        for (var trial = 0; trial < 200; trial++)
        {
            var (utilities, slate, noClick, decay) = RandomInstance(ref rng);
            var model = new MultinomialLogitChoiceModel(noClick, decay, slate.Length);
            var p = new double[slate.Length + 1];
            model.Probabilities(utilities, slate, p);

            for (var k = 0; k < slate.Length; k++)
            {
                var expected = Math.Pow(k + 1, -decay) * Math.Exp(utilities[slate[k]] - noClick);
                Assert.Equal(model.Attention(k), Math.Pow(k + 1, -decay));
                // Relative error: each exp(x) here (two in the model, one above) is off by its own
                // rounding plus the rounding of its argument, |x|·ε/2; no |x| exceeds the span of all the
                // values in play, span = |u₀| + 2·max|u|. Add a few roundings for the pow, products and quotients.
                var span = Math.Abs(noClick) + utilities.Max(x => Math.Abs(x)) * 2;
                Assert.Equal(1.0, p[k] / p[^1] / expected, (1.5 * span + 8) * Eps);
            }
        }
    }
}
