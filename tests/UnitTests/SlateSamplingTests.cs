using MultiAgentRec.Coordination;
using MultiAgentRec.Simulation;

namespace MultiAgentRec.UnitTests;

public sealed class SlateSamplingTests
{
    // Propensities are floats: rounding the exact double to float is off by at most 2^-24 relative;
    // the double arithmetic before it adds ~1e-15. 2^-23 covers both.
    private static readonly double FloatRelative = Math.Pow(2, -23);

    /// <summary>softmax(z/τ) over the items not yet taken (scores are already in z units), computed from scratch.</summary>
    internal static double[] Softmax(float[] scores, double temperature, IReadOnlyCollection<int> taken)
    {
        var z = scores.Select(s => s / temperature).ToArray();
        var max = z.Where((_, i) => !taken.Contains(i)).Max();
        var e = z.Select((x, i) => taken.Contains(i) ? 0 : Math.Exp(x - max)).ToArray();
        var total = e.Sum();
        return e.Select(x => x / total).ToArray();
    }

    internal static (int[] Slate, float[] Propensities) Sample(float[] scores, double temperature, int k, ref SimRandom rng)
    {
        var slate = new int[k];
        var propensities = new float[k];
        SlateSampling.PlackettLuce(scores, temperature, ref rng, slate, propensities, new double[scores.Length]);
        return (slate, propensities);
    }

    private static float[] RandomScores(ref SimRandom rng, int n)
    {
        var scores = new float[n];
        for (var i = 0; i < n; i++) scores[i] = (float)(5 + rng.NextGaussian());
        return scores;
    }

    [Theory]
    [InlineData(0.1)]
    [InlineData(1.0)]
    [InlineData(10.0)]
    public void Plackett_luce_slate_has_distinct_items_of_the_catalog(double temperature)
    {
        var rng = new SimRandom(61);
        for (var draw = 0; draw < 500; draw++)
        {
            var scores = RandomScores(ref rng, 12);
            var (slate, propensities) = Sample(scores, temperature, 5, ref rng);

            Assert.All(slate, item => Assert.InRange(item, 0, scores.Length - 1));
            Assert.Equal(slate.Length, slate.Distinct().Count());
            Assert.All(propensities, p => Assert.True(p > 0 && p <= 1, $"propensity {p}"));
        }
    }

    // Temperatures at which the softmax weights of these scores span well under 2^53, so the
    // propensity of every slot is representable against the first slot's total.
    [Theory]
    [InlineData(0.5)]
    [InlineData(1.0)]
    [InlineData(2.0)]
    public void Plackett_luce_propensities_are_softmax_of_the_scores_over_the_remaining_items(double temperature)
    {
        var rng = new SimRandom(62);
        for (var draw = 0; draw < 200; draw++)
        {
            var scores = RandomScores(ref rng, 15);
            var (slate, propensities) = Sample(scores, temperature, 4, ref rng);

            // Slot 0: softmax over the whole catalog; slot k: over the items not in slots 0..k−1.
            var taken = new List<int>();
            for (var k = 0; k < slate.Length; k++)
            {
                var expected = Softmax(scores, temperature, taken)[slate[k]];
                Assert.Equal(expected, propensities[k], FloatRelative * expected);
                taken.Add(slate[k]);
            }
        }
    }

    [Fact]
    public void Plackett_luce_first_slot_frequencies_match_the_softmax()
    {
        float[] scores = [0.3f, 1.2f, -0.4f, 0.8f, 0.1f, 1.5f];
        const double temperature = 0.7;
        var p = Softmax(scores, temperature, []);
        const int draws = 40_000;
        var counts = new int[scores.Length];
        var rng = new SimRandom(63);

        for (var draw = 0; draw < draws; draw++) counts[Sample(scores, temperature, 3, ref rng).Slate[0]]++;

        for (var i = 0; i < scores.Length; i++)
        {
            // N Bernoulli(p) draws: standard error √(p(1−p)/N); 4 of them.
            var se = Math.Sqrt(p[i] * (1 - p[i]) / draws);
            Assert.InRange((double)counts[i] / draws, p[i] - 4 * se, p[i] + 4 * se);
        }
    }

    [Fact]
    public void Plackett_luce_with_a_tiny_temperature_puts_the_best_item_first()
    {
        // Scores 0, 1, ..., 19 shuffled, neighbours 1 apart. At τ = 0.001 the runner-up is e^(−1000)
        // as likely as the best: the first slot is the argmax on every draw, and its propensity rounds to 1.
        var rng = new SimRandom(64);
        for (var draw = 0; draw < 200; draw++)
        {
            var scores = ChoiceModelTests.RandomSlate(ref rng, 20, 20).Select(v => (float)v).ToArray();
            var (slate, propensities) = Sample(scores, 0.001, 5, ref rng);

            Assert.Equal(Array.IndexOf(scores, 19f), slate[0]);
            Assert.Equal(1f, propensities[0]);
            Assert.Equal(slate.Length, slate.Distinct().Count());
        }
    }

    [Fact]
    public void Uniform_slate_has_distinct_items_and_propensities_one_over_n_minus_k()
    {
        const int items = 9, k = 5;
        var rng = new SimRandom(65);
        var firstSlot = new int[items];
        const int draws = 20_000;
        for (var draw = 0; draw < draws; draw++)
        {
            var slate = new int[k];
            var propensities = new float[k];

            SlateSampling.Uniform(items, ref rng, slate, propensities);

            Assert.All(slate, item => Assert.InRange(item, 0, items - 1));
            Assert.Equal(k, slate.Distinct().Count());
            for (var slot = 0; slot < k; slot++) Assert.Equal(1f / (items - slot), propensities[slot]);
            firstSlot[slate[0]]++;
        }

        // The first slot is uniform over the catalog: each item within 4 standard errors of 1/n.
        const double p = 1.0 / items;
        var se = Math.Sqrt(p * (1 - p) / draws);
        Assert.All(firstSlot, c => Assert.InRange((double)c / draws, p - 4 * se, p + 4 * se));
    }
}
