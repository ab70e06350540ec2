using MultiAgentRec.Client.Scenarios;
using MultiAgentRec.Coordination;
using MultiAgentRec.Simulation;

namespace MultiAgentRec.UnitTests;

// Regression tests for two bugs found by review: Plackett-Luce kept its remaining total by
// subtraction (wrong propensities, non-greedy slates at small temperatures, an out-of-range read
// when the rest underflowed), and a click shrank the interest vector. All failed before the fix.
public sealed class RegressionTests
{
    private static (int[] Slate, float[] Propensities) Sample(float[] scores, double temperature, int k, ulong seed)
    {
        var rng = new SimRandom(seed);
        return SlateSamplingTests.Sample(scores, temperature, k, ref rng);
    }

    private static double[] Softmax(float[] scores, double temperature, IReadOnlyCollection<int> taken) =>
        SlateSamplingTests.Softmax(scores, temperature, taken);

    // Bug 1 (SlateSampling.PlackettLuce, fixed): the remaining total was kept by subtraction (total -= w), so
    // once the taken items held all but ~2^-53 of the mass, "total" is rounding residue, not the sum
    // of the remaining weights. With a small temperature the slate is greedy for a slot or three, then
    // degrades to the uniform fallback (residue 0) or to the last index with weight (residue > sum).
    [Fact]
    public void Plackett_luce_with_a_small_temperature_is_the_top_k()
    {
        // Scores 0..19 shuffled, τ = 0.01: each item is e^(−17.3) ≈ 3e-8 as likely as the one above it,
        // so the slate is the top-5 except with probability below 5·20·3e-8 per draw.
        var rng = new SimRandom(64);
        for (var draw = 0; draw < 200; draw++)
        {
            var scores = ChoiceModelTests.RandomSlate(ref rng, 20, 20).Select(v => (float)v).ToArray();
            var (slate, _) = Sample(scores, 0.01, 5, rng.NextULong());

            var top = new int[5];
            TopK.Select(scores, top);
            Assert.Equal(top, slate); // fails: e.g. expected [15, 14, 18, 1, 13], got [15, 14, 18, 1, 6]
        }
    }

    [Fact]
    public void Plackett_luce_third_slot_follows_the_softmax_at_the_default_temperature_when_two_items_stand_out()
    {
        // Quickstart-sized: 300 items, τ = 0.1 (the default). 298 scores in a tight cloud, two items
        // ~7.7 sd above it (one agent sure of two items). After both are taken, the 298 others share
        // the mass in proportion to softmax; item 299 should get about its softmax share.
        var g = new SimRandom(5);
        var scores = new float[300];
        for (var i = 0; i < scores.Length; i++) scores[i] = (float)(0.05 * g.NextGaussian());
        scores[17] = 0.5f;
        scores[42] = 0.485f;

        const int draws = 2000;
        var last = 0;
        for (var seed = 0UL; seed < draws; seed++)
        {
            var (slate, _) = Sample(scores, 0.1, 3, seed);
            if (slate[0] is 17 or 42 && slate[1] is 17 or 42 && slate[2] == 299) last++;
        }

        // P(slot 2 = 299) ≤ its softmax share among the 298 (taking 17 and 42 first is near certain).
        var p = Softmax(scores, 0.1, [17, 42])[299];
        var se = Math.Sqrt(p * (1 - p) / draws);
        // fails: item 299 (the last index) takes slot 2 in 1822 of 2000 draws (softmax share ~0.0036)
        Assert.InRange((double)last / draws, 0, p + 4 * se + 1.0 / draws);
    }

    [Fact]
    public void Plackett_luce_logs_propensities_equal_to_the_softmax_at_the_default_temperature()
    {
        // Same row as above: the logged propensity of slot 2 should be its softmax share given slots 0 and 1.
        var g = new SimRandom(5);
        var scores = new float[300];
        for (var i = 0; i < scores.Length; i++) scores[i] = (float)(0.05 * g.NextGaussian());
        scores[17] = 0.5f;
        scores[42] = 0.485f;

        for (var seed = 0UL; seed < 50; seed++)
        {
            var (slate, propensities) = Sample(scores, 0.1, 3, seed);
            var taken = new List<int>();
            for (var k = 0; k < 3; k++)
            {
                var expected = Softmax(scores, 0.1, taken)[slate[k]];
                // Float propensity: within 2^-23 relative. fails: e.g. 3.8e-19 logged where softmax gives 1.5e-14.
                Assert.Equal(expected, propensities[k], Math.Pow(2, -23) * expected);
                taken.Add(slate[k]);
            }
        }
    }

    [Fact]
    public void Plackett_luce_does_not_throw_when_the_remaining_weights_underflow()
    {
        // Weights {1, w, 0, 0, 0, 0} (the −100s underflow to 0 at τ = 0.002): after taking 1 and w the
        // running total is (1 + w) − 1 − w, a positive residue of ~1e-17 for most w, not ≤ 0, so the
        // uniform fallback is skipped, no item has weight, chosen stays −1 and scratch[−1] throws.
        float[] scores = [0, -0.052f, -100, -100, -100, -100];

        // fails: IndexOutOfRangeException
        var (slate, _) = Sample(scores, 0.002, 3, seed: 0);

        Assert.Equal(3, slate.Distinct().Count());
        Assert.All(slate, i => Assert.InRange(i, 0, scores.Length - 1));
    }

    // Bug 2 (fixed) (SimulatedUser.Consume): the comment says interests move toward the consumed item
    // "keeping their strength (norm) unchanged", but x + d·(|x|·e − x) = (1−d)·x + d·|x|·e is a convex
    // combination of two vectors of norm |x|, which is shorter than |x| unless x ∥ e. Every click
    // shrinks the interest vector, and with it the spread of utilities (utilityScale·⟨x, e⟩).
    [Fact]
    public void A_click_keeps_the_norm_of_the_interest_vector()
    {
        var spec = ScenarioLoader.Parse("""
            name: users
            seed: 17
            slateSize: 3
            catalog: {items: 30, topics: 4, embeddingDim: 8}
            users: {count: 10, segments: 3, sessionBudget: [1000, 1000]}
            choice: {noClickUtility: 0, interestDrift: 0.2}
            arms: [random]
            """, "test.yaml").Spec!;
        var user = new SimulatedUser(new World(spec), 2);
        var shown = new int[3];
        static double Norm(ReadOnlySpan<float> x) { double s = 0; foreach (var v in x) s += v * v; return Math.Sqrt(s); }

        var initial = Norm(user.Interest);
        for (var round = 0; round < 40; round++) user.Step(round, [], shown);

        // Float arithmetic on 8 coordinates over 40 steps: 1e-5 relative is hundreds of ulps of margin.
        Assert.Equal(initial, Norm(user.Interest), 1e-5 * initial); // fails: 1.111 shrinks to 0.697
    }
}
