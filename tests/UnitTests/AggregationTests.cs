using MultiAgentRec.Coordination;
using MultiAgentRec.Simulation;

namespace MultiAgentRec.UnitTests;

public sealed class AggregationTests
{
    /// <summary>A one-user candidate set: the given items and scores (best first) and the agent's whole-row mean and sd.</summary>
    internal static CandidateSet Candidates(int[] items, float[] scores, float mean = 0, float sd = 1)
    {
        var set = new CandidateSet(1, items.Length);
        items.CopyTo(set.ItemRow(0));
        scores.CopyTo(set.ScoreRow(0));
        set.Set(0, items.Length, mean, sd);
        return set;
    }

    /// <summary>A full ranking of a catalog as candidates: every item, best first (ties to the lower index).</summary>
    internal static CandidateSet FullRanking(float[] scores)
    {
        var order = Enumerable.Range(0, scores.Length).OrderByDescending(i => scores[i]).ThenBy(i => i).ToArray();
        var (mean, sd) = Standardizer.MeanAndSd(scores);
        return Candidates(order, order.Select(i => scores[i]).ToArray(), (float)mean, (float)sd);
    }

    internal static (int[] Items, float[] Scores) Aggregate(IAggregationRule rule, IReadOnlyList<CandidateSet> proposals, int catalog, double[] weights)
    {
        var items = new int[proposals.Sum(p => p.PerUser)];
        var scores = new float[items.Length];
        var n = rule.Aggregate(proposals, 0, catalog, weights, items, scores);
        return (items[..n], scores[..n]);
    }

    // ---- Borda count -------------------------------------------------------------------------

    [Fact]
    public void Borda_count_over_full_rankings_matches_a_hand_computation()
    {
        // 4 items, equal weights; ranks (0 = best):
        //   agent A [0.9, 0.1, 0.5, 0.3]: order 0, 2, 3, 1 → ranks [0, 3, 1, 2]
        //   agent B [0.2, 0.8, 0.6, 0.4]: order 1, 2, 3, 0 → ranks [3, 0, 1, 2]
        //   agent C [5, 7, 7, −1]: 1 and 2 tie, the lower index first: order 1, 2, 0, 3 → ranks [2, 0, 1, 3]
        //   mean ranks [5/3, 1, 1, 7/3] (the classic Borda order: points 3 − r summed are [4, 6, 6, 2]);
        //   scores Φ⁻¹(1 − (r + ½)/4), from Python's statistics.NormalDist.
        var a = FullRanking([0.9f, 0.1f, 0.5f, 0.3f]);
        var b = FullRanking([0.2f, 0.8f, 0.6f, 0.4f]);
        var c = FullRanking([5, 7, 7, -1]);

        var (items, scores) = Aggregate(new BordaCountVoting(), [a, b, c], 4, [1.0 / 3, 1.0 / 3, 1.0 / 3]);

        Assert.Equal([0, 1, 2, 3], items);
        double[] expected = [-0.10463345561407553, 0.31863936396437514, 0.31863936396437514, -0.5485222826980982];
        for (var i = 0; i < 4; i++) Assert.Equal(expected[i], scores[i], 1e-6);
    }

    [Fact]
    public void Borda_count_gives_an_unlisted_item_the_mean_of_the_unlisted_ranks()
    {
        // Catalog of 10. A lists [7, 2] (ranks 0, 1); the 8 items it did not list share ranks 2..9,
        // mean 5.5. B lists [2, 5]. Mean ranks: 2 → (1 + 0)/2 = 0.5; 5 → (5.5 + 1)/2 = 3.25;
        // 7 → (0 + 5.5)/2 = 2.75; scores Φ⁻¹(1 − (r + ½)/10).
        var a = Candidates([7, 2], [0.9f, 0.8f]);
        var b = Candidates([2, 5], [3, 1]);

        var (items, scores) = Aggregate(new BordaCountVoting(), [a, b], 10, [0.5, 0.5]);

        Assert.Equal([2, 5, 7], items);
        double[] expected = [1.2815515655446008, 0.31863936396437514, 0.4537621901698796];
        for (var i = 0; i < 3; i++) Assert.Equal(expected[i], scores[i], 1e-6);
    }

    [Fact]
    public void Borda_count_weighs_ranks_by_the_agents_weights()
    {
        // As above with weights 0.75 / 0.25: 2 → 0.75·1 + 0 = 0.75; 5 → 0.75·5.5 + 0.25·1 = 4.375; 7 → 0 + 0.25·5.5 = 1.375.
        var a = Candidates([7, 2], [0.9f, 0.8f]);
        var b = Candidates([2, 5], [3, 1]);

        var (_, scores) = Aggregate(new BordaCountVoting(), [a, b], 10, [0.75, 0.25]);

        double[] ranks = [0.75, 4.375, 1.375];
        for (var i = 0; i < 3; i++) Assert.Equal(NormalScores.OfRank(ranks[i], 10), scores[i], 1e-6);
    }

    [Fact]
    public void Borda_count_is_invariant_to_agent_order()
    {
        var rng = new SimRandom(41);
        const int catalog = 40;
        var proposals = Enumerable.Range(0, 3).Select(_ =>
        {
            var items = ChoiceModelTests.RandomSlate(ref rng, catalog, 8);
            return Candidates(items, items.Select((_, r) => (float)(8 - r)).ToArray());
        }).ToArray();
        var reference = Aggregate(new BordaCountVoting(), proposals, catalog, [1, 1, 1]);

        int[][] permutations = [[0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]];
        foreach (var p in permutations)
        {
            var output = Aggregate(new BordaCountVoting(), p.Select(i => proposals[i]).ToArray(), catalog, [1, 1, 1]);
            Assert.Equal(reference.Items, output.Items);
            Assert.Equal(reference.Scores, output.Scores);
        }
    }

    // ---- Weighted score averaging -------------------------------------------------------------

    [Fact]
    public void Weighted_score_averaging_is_the_weighted_sum_of_z_scores_over_the_union()
    {
        // Agent A: row mean 2, sd 0.5; lists 3 (score 4, z 4) and 1 (score 3, z 2).
        // Agent B: row mean 100, sd 10; lists 1 (score 130, z 3) and 6 (score 110, z 1).
        // Missing: A's last z is 2 > 0, so an item A did not list counts z 0; B's likewise 0.
        // Weights 0.75 / 0.25: item 1 → 0.75·2 + 0.25·3 = 2.25; 3 → 0.75·4 + 0 = 3; 6 → 0 + 0.25·1 = 0.25.
        var a = Candidates([3, 1], [4, 3], mean: 2, sd: 0.5f);
        var b = Candidates([1, 6], [130, 110], mean: 100, sd: 10);

        var (items, scores) = Aggregate(new WeightedScoreAveraging(), [a, b], 10, [0.75, 0.25]);

        Assert.Equal([1, 3, 6], items);
        Assert.Equal([2.25f, 3f, 0.25f], scores);
    }

    [Fact]
    public void Weighted_score_averaging_never_rates_an_unlisted_item_above_a_listed_one()
    {
        // Agent A's listed z-scores are −1 and −2 (a row whose best candidates sit below its mean, as
        // when most of the catalog ties high): an unlisted item counts as min(0, −2) = −2, not 0.
        var a = Candidates([4, 2], [1, 0], mean: 2, sd: 1);
        var b = Candidates([7], [5], mean: 5, sd: 1);

        var (items, scores) = Aggregate(new WeightedScoreAveraging(), [a, b], 10, [0.5, 0.5]);

        Assert.Equal([2, 4, 7], items);
        // 2 → 0.5·(−2) + 0.5·0; 4 → 0.5·(−1) + 0.5·0; 7 → 0.5·(−2) + 0.5·0
        Assert.Equal([-1f, -0.5f, -1f], scores);
    }

    [Fact]
    public void Weighted_score_averaging_is_invariant_to_affine_rescaling_of_one_agent()
    {
        var a = Candidates([5, 1, 8], [0.5f, 0.25f, 0.125f], mean: 0.125f, sd: 0.25f);
        var b = Candidates([1, 3, 5], [3, 2, 1], mean: 1, sd: 1);
        var reference = Aggregate(new WeightedScoreAveraging(), [a, b], 10, [0.6, 0.4]);

        // a·x + b with a = 8, b = −1: exact on these dyadic values, and mean and sd transform alike.
        var scaled = Candidates([5, 1, 8], [3, 1, 0], mean: 0, sd: 2);
        var output = Aggregate(new WeightedScoreAveraging(), [scaled, b], 10, [0.6, 0.4]);

        Assert.Equal(reference.Items, output.Items);
        for (var i = 0; i < output.Scores.Length; i++) Assert.Equal(reference.Scores[i], output.Scores[i], 1e-6);
    }

    [Fact]
    public void Weighted_score_averaging_is_invariant_to_agent_order()
    {
        var rng = new SimRandom(45);
        const int catalog = 50;
        var proposals = Enumerable.Range(0, 3).Select(_ =>
        {
            var items = ChoiceModelTests.RandomSlate(ref rng, catalog, 6);
            return Candidates(items, items.Select((_, r) => (float)(10 - r)).ToArray(), mean: 2, sd: 3);
        }).ToArray();
        double[] weights = [0.5, 0.3, 0.2];
        var reference = Aggregate(new WeightedScoreAveraging(), proposals, catalog, weights);

        int[] p = [2, 0, 1];
        var output = Aggregate(new WeightedScoreAveraging(), p.Select(i => proposals[i]).ToArray(), catalog, p.Select(i => weights[i]).ToArray());

        Assert.Equal(reference.Items, output.Items);
        for (var i = 0; i < output.Scores.Length; i++) Assert.Equal(reference.Scores[i], output.Scores[i], 1e-5);
    }

    [Fact]
    public void A_solo_agent_keeps_its_own_order_and_z_scores()
    {
        var solo = Candidates([9, 4, 6], [7, 5, 4], mean: 3, sd: 2);

        var (items, scores) = Aggregate(new WeightedScoreAveraging(), [solo], 12, [1]);

        Assert.Equal([4, 6, 9], items);
        Assert.Equal([1f, 0.5f, 2f], scores);
    }

    [Fact]
    public void Standardizer_floors_the_sd_of_a_constant_row()
    {
        var (mean, sd) = Standardizer.MeanAndSd([2.5f, 2.5f, 2.5f]);

        Assert.Equal(2.5, mean);
        Assert.Equal(Standardizer.MinSd, sd, 1e-12);
    }
}
