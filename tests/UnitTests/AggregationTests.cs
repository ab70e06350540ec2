using MultiAgentRec.Coordination;
using MultiAgentRec.Simulation;

namespace MultiAgentRec.UnitTests;

public sealed class AggregationTests
{
    private static float[] Aggregate(IAggregationRule rule, IReadOnlyList<float[]> proposals, int offset, int items, double[] weights)
    {
        var output = new float[items];
        rule.Aggregate(proposals, offset, items, weights, output);
        return output;
    }

    /// <summary>Items by decreasing value, lower index first among equals.</summary>
    private static int[] Order(ReadOnlySpan<float> values)
    {
        var copy = values.ToArray();
        return Enumerable.Range(0, copy.Length).OrderByDescending(i => copy[i]).ThenBy(i => i).ToArray();
    }

    /// <summary>Distinct multiples of 1/8 (exact in float, and so after exact affine maps), shuffled.</summary>
    private static float[] DyadicScores(ref SimRandom rng, int items)
    {
        var slate = ChoiceModelTests.RandomSlate(ref rng, 128, items);
        return slate.Select(v => (v - 64) / 8f).ToArray();
    }

    // ---- Borda count -------------------------------------------------------------------------

    [Fact]
    public void Borda_count_matches_a_hand_computation()
    {
        // 4 items, so ranks give 3, 2, 1, 0 points.
        //   agent A [0.9, 0.1, 0.5, 0.3]: order 0, 2, 3, 1      → points [3, 0, 2, 1]
        //   agent B [0.2, 0.8, 0.6, 0.4]: order 1, 2, 3, 0      → points [0, 3, 2, 1]
        //   agent C [5, 7, 7, −1]:        items 1 and 2 tie; the lower index wins: order 1, 2, 0, 3
        //                                                        → points [1, 3, 2, 0]
        //   total                                                  [4, 6, 6, 2]
        // Rows sit at offset 4 of each array (the second user of a two-user batch), behind decoys.
        float[] a = [9, 9, 9, 9, 0.9f, 0.1f, 0.5f, 0.3f];
        float[] b = [9, 9, 9, 9, 0.2f, 0.8f, 0.6f, 0.4f];
        float[] c = [9, 9, 9, 9, 5, 7, 7, -1];

        // Borda ignores weights; unequal ones must not change the points.
        var points = Aggregate(new BordaCountVoting(), [a, b, c], offset: 4, items: 4, weights: [0.7, 0.2, 0.1]);

        Assert.Equal([4f, 6f, 6f, 2f], points);
    }

    [Fact]
    public void Borda_count_is_invariant_to_agent_order()
    {
        var rng = new SimRandom(41);
        const int items = 12;
        // Scores drawn from four values, so every agent has ties to break.
        var proposals = Enumerable.Range(0, 3)
            .Select(_ => Enumerable.Range(0, items).Select(_ => (float)rng.NextInt(4)).ToArray())
            .ToArray();
        var reference = Aggregate(new BordaCountVoting(), proposals, 0, items, [1, 1, 1]);

        int[][] permutations = [[0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]];
        foreach (var p in permutations)
        {
            var reordered = p.Select(i => proposals[i]).ToArray();
            Assert.Equal(reference, Aggregate(new BordaCountVoting(), reordered, 0, items, [1, 1, 1]));
        }
    }

    [Fact]
    public void Borda_count_reproduces_a_unanimous_ranking()
    {
        const int items = 6;
        // The same order 3, 0, 5, 1, 4, 2 under three different monotone scorings.
        float[] a = [5, 3, 1, 6, 2, 4];
        float[] b = [0.5f, 0.3f, 0.1f, 0.6f, 0.2f, 0.4f];
        float[] c = [-10, -30, -50, 0, -40, -20];

        var points = Aggregate(new BordaCountVoting(), [a, b, c], 0, items, [1, 1, 1]);

        // Each item gets 3 × (n − 1 − rank) points.
        Assert.Equal([12f, 6f, 0f, 15f, 3f, 9f], points);
        Assert.Equal([3, 0, 5, 1, 4, 2], Order(points));
    }

    [Fact]
    public void Borda_count_ignores_score_scale()
    {
        var rng = new SimRandom(42);
        const int items = 20;
        var proposals = Enumerable.Range(0, 3).Select(_ => DyadicScores(ref rng, items)).ToArray();
        var reference = Aggregate(new BordaCountVoting(), proposals, 0, items, [1, 1, 1]);

        // ×1000 is exact on these scores, so it cannot create or break ties: the ranks are the same.
        var scaled = proposals.ToArray();
        scaled[1] = proposals[1].Select(x => x * 1000).ToArray();

        Assert.Equal(reference, Aggregate(new BordaCountVoting(), scaled, 0, items, [1, 1, 1]));
    }

    // ---- Weighted score averaging -------------------------------------------------------------

    [Fact]
    public void Weighted_score_averaging_is_invariant_to_affine_rescaling_of_one_agent()
    {
        var rng = new SimRandom(43);
        const int items = 30;
        double[] weights = [0.5, 0.3, 0.2];
        for (var trial = 0; trial < 20; trial++)
        {
            var proposals = Enumerable.Range(0, 3).Select(_ => DyadicScores(ref rng, items)).ToArray();
            var reference = Aggregate(new WeightedScoreAveraging(), proposals, 0, items, weights);

            // a·x + b with a = 3, b = −12.5 maps multiples of 1/8 below 8 to multiples of 1/8 below 40:
            // exact in float, so the agent's row changes by exactly the affine map and nothing else.
            var rescaled = proposals.ToArray();
            rescaled[trial % 3] = proposals[trial % 3].Select(x => 3 * x - 12.5f).ToArray();
            var output = Aggregate(new WeightedScoreAveraging(), rescaled, 0, items, weights);

            // z-scores are then equal up to double rounding of mean and sd (~1e-15), which can move each
            // agent's float term and each float addition by one ulp. |z| ≤ √(n−1) (Samuelson) and the
            // weights sum to 1, so every term and partial sum is below √(n−1): |Δ| ≤ 2·A·2^-23·√(n−1).
            var tolerance = 2 * 3 * Math.Pow(2, -23) * Math.Sqrt(items - 1);
            for (var i = 0; i < items; i++) Assert.Equal(reference[i], output[i], tolerance);
        }
    }

    [Fact]
    public void Weighted_score_averaging_with_all_weight_on_one_agent_follows_its_order()
    {
        var rng = new SimRandom(44);
        const int items = 25;
        for (var agent = 0; agent < 3; agent++)
        {
            var proposals = Enumerable.Range(0, 3).Select(_ => DyadicScores(ref rng, items)).ToArray();
            var weights = new double[3];
            weights[agent] = 1;

            var output = Aggregate(new WeightedScoreAveraging(), proposals, 0, items, weights);

            Assert.Equal(Order(proposals[agent]), Order(output));
        }
    }

    [Fact]
    public void Weighted_score_averaging_is_the_weighted_sum_of_z_scores()
    {
        // Two agents on scales a thousand apart; the rule must put them on one scale.
        float[] a = [1, 2, 3, 4];        // mean 2.5, population sd √1.25
        float[] b = [4000, 1000, 3000, 2000];
        var output = Aggregate(new WeightedScoreAveraging(), [a, b], 0, 4, [0.75, 0.25]);

        var sd = Math.Sqrt(1.25);
        double[] za = [-1.5 / sd, -0.5 / sd, 0.5 / sd, 1.5 / sd];
        double[] zb = [1.5 / sd, -1.5 / sd, 0.5 / sd, -0.5 / sd];
        for (var i = 0; i < 4; i++)
            // Float output: within a couple of float roundings of values below 2.
            Assert.Equal(0.75 * za[i] + 0.25 * zb[i], output[i], 4 * Math.Pow(2, -23));
    }

    [Fact]
    public void Standardizer_floors_the_sd_of_a_constant_row()
    {
        var (mean, sd) = Standardizer.MeanAndSd([2.5f, 2.5f, 2.5f]);

        Assert.Equal(2.5, mean);
        Assert.Equal(1e-6, sd);
    }
}
