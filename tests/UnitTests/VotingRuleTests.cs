using MultiAgentRec.Arms;
using MultiAgentRec.Contracts;
using MultiAgentRec.Coordination;
using MultiAgentRec.Simulation;
using static MultiAgentRec.UnitTests.AggregationTests;

namespace MultiAgentRec.UnitTests;

public sealed class VotingRuleTests
{
    [Fact]
    public void Normal_scores_match_known_quantiles_and_are_symmetric()
    {
        // Φ⁻¹(0.975) and Φ⁻¹(1 − 1e-6), from Python's statistics.NormalDist.
        Assert.Equal(1.9599639845400536, NormalScores.UpperQuantile(0.025), 1e-9);
        Assert.Equal(4.753424308817089, NormalScores.UpperQuantile(1e-6), 1e-7);
        Assert.Equal(0.025, NormalScores.UpperTail(1.9599639845400536), 1e-12);
        for (var r = 0; r < 300; r++) Assert.Equal(-NormalScores.OfRank(299 - r, 300), NormalScores.OfRank(r, 300), 1e-9);
    }

    [Fact]
    public void Reciprocal_rank_fusion_matches_a_hand_computation()
    {
        // Catalog of 100, κ = 60, weights ½ each. A lists [7, 2], B lists [2, 5].
        //   s(2) = ½/62 + ½/61 → fused rank 1/s − 61 ≈ 0.496; s(7) = ½/61 → 61; s(5) = ½/62 → 63.
        //   Scores Φ⁻¹(1 − (r + ½)/100), from Python's statistics.NormalDist.
        var a = Candidates([7, 2], [0.9f, 0.8f]);
        var b = Candidates([2, 5], [3, 1]);

        var (items, scores) = Aggregate(new ReciprocalRankFusion(), [a, b], 100, [0.5, 0.5]);

        Assert.Equal([2, 5, 7], items);
        double[] expected = [2.3278758079260733, -0.34512553147047226, -0.2923748962268042];
        for (var i = 0; i < 3; i++) Assert.Equal(expected[i], scores[i], 1e-5);
    }

    [Fact]
    public void Majority_vote_matches_a_hand_computation()
    {
        // Slate of 2, catalog of 10, equal weights. Approved (first two of each list): A {7, 2},
        // B {2, 5}, C {9, 2}. Shares: 2 → 1; 5, 7, 9 → 1/3; 4 (listed, approved by none) → 0.
        // Fused rank v·0.5 + (1 − v)·5.5: 2 → 0.5; 5, 7, 9 → 3.8333; 4 → 5.5.
        var a = Candidates([7, 2, 4], [3, 2, 1]);
        var b = Candidates([2, 5, 4], [3, 2, 1]);
        var c = Candidates([9, 2, 5], [3, 2, 1]);

        var (items, scores) = Aggregate(new MajorityVoting(2), [a, b, c], 10, [1, 1, 1]);

        Assert.Equal([2, 4, 5, 7, 9], items);
        double[] expected = [1.2815515655446008, -0.2533471031357998, 0.1678940047881054, 0.1678940047881054, 0.1678940047881054];
        for (var i = 0; i < items.Length; i++) Assert.Equal(expected[i], scores[i], 1e-6);
    }

    public static TheoryData<string> Rules => [Names.Weighted, Names.Borda, Names.Majority, Names.ReciprocalRankFusion];

    [Theory]
    [MemberData(nameof(Rules))]
    public void Every_rule_is_invariant_to_agent_order(string rule)
    {
        var rng = new SimRandom(46);
        const int catalog = 50;
        var proposals = Enumerable.Range(0, 3).Select(_ =>
        {
            var items = ChoiceModelTests.RandomSlate(ref rng, catalog, 6);
            return Candidates(items, items.Select((_, r) => (float)(10 - r)).ToArray(), mean: 2, sd: 3);
        }).ToArray();
        double[] weights = [0.5, 0.25, 0.25];
        var aggregation = AggregationRules.For(rule, 3, 4)!;
        var reference = Aggregate(aggregation, proposals, catalog, weights);

        foreach (var p in new[] { new[] { 2, 0, 1 }, [1, 2, 0], [0, 2, 1] })
        {
            var output = Aggregate(aggregation, p.Select(i => proposals[i]).ToArray(), catalog, p.Select(i => weights[i]).ToArray());
            Assert.Equal(reference.Items, output.Items);
            // Sums of the same terms in another order: a few float roundings apart.
            for (var i = 0; i < output.Scores.Length; i++) Assert.Equal(reference.Scores[i], output.Scores[i], 1e-5);
        }
    }

    [Theory]
    [InlineData(Names.Borda)]
    [InlineData(Names.ReciprocalRankFusion)]
    public void Unanimous_rank_rules_give_each_item_the_normal_score_of_its_rank(string rule)
    {
        // The shared scale: agents that agree make an item score like rank r among n standard-normal
        // scores, so a list whose scores are normal keeps about its z-scores, and τ its meaning.
        int[] list = [8, 3, 11, 0, 5];
        var proposals = Enumerable.Range(0, 3).Select(_ => Candidates(list, [5, 4, 3, 2, 1])).ToArray();

        var (items, scores) = Aggregate(AggregationRules.For(rule, 3, 2)!, proposals, 40, [0.2, 0.3, 0.5]);

        for (var i = 0; i < items.Length; i++)
            Assert.Equal(NormalScores.OfRank(Array.IndexOf(list, items[i]), 40), scores[i], 1e-5);
    }

    [Fact]
    public void Rank_rules_are_as_greedy_as_score_averaging_on_normal_scores()
    {
        // An agent whose 300 scores are the standard-normal quantiles of their ranks: its z-scores are
        // (up to the quantiles' sd, 1 − O(1/n)) the normal scores of its ranks, so unanimous Borda, RRF
        // and averaging give the same combined scores, hence the same PL slate law at any temperature.
        const int n = 300;
        var all = Enumerable.Range(0, n).Select(r => (float)NormalScores.OfRank(r, n)).ToArray();
        var (mean, sd) = Standardizer.MeanAndSd(all);
        var top = Enumerable.Range(0, 20).ToArray();
        var proposals = Enumerable.Range(0, 2).Select(_ => Candidates(top, top.Select(i => all[i]).ToArray(), (float)mean, (float)sd)).ToArray();

        var averaged = Aggregate(new WeightedScoreAveraging(), proposals, n, [0.5, 0.5]).Scores;
        foreach (var rule in new IAggregationRule[] { new BordaCountVoting(), new ReciprocalRankFusion() })
        {
            var scores = Aggregate(rule, proposals, n, [0.5, 0.5]).Scores;
            // The sample sd of 300 quantiles is within 2 % of 1, so each z is within 2 % of its score.
            for (var i = 0; i < scores.Length; i++) Assert.Equal(averaged[i], scores[i], 0.02 * Math.Abs(averaged[i]) + 1e-4);
        }
    }

    private static RoundReport[] Run(SimulationSpec spec, string arm)
    {
        using var simulation = new ArmSimulation(new World(spec), arm);
        return Enumerable.Range(0, spec.Rounds).Select(simulation.RunRound).ToArray();
    }

    [Theory]
    [InlineData(Names.Borda)]
    [InlineData(Names.Majority)]
    [InlineData(Names.ReciprocalRankFusion)]
    [InlineData(Names.Pick)]
    public void A_solo_arm_is_the_same_whatever_the_ensembles_rule(string rule)
    {
        var weighted = Run(TestWorlds.Bandits(aggregation: Names.Weighted), "solo:ts");
        var other = Run(TestWorlds.Bandits(aggregation: rule), "solo:ts");

        for (var r = 0; r < weighted.Length; r++)
        {
            Assert.Equal(weighted[r].Clicks, other[r].Clicks);
            Assert.Equal(weighted[r].SumExpectedClick, other[r].SumExpectedClick);
            Assert.Equal(weighted[r].ItemsShown, other[r].ItemsShown);
        }
    }

    [Theory]
    [InlineData(Names.Borda)]
    [InlineData(Names.Majority)]
    [InlineData(Names.ReciprocalRankFusion)]
    [InlineData(Names.Pick)]
    public void Every_rule_changes_the_ensemble(string rule)
    {
        // The companion of the test above: the rule is really used where there are several agents.
        var weighted = Run(TestWorlds.Bandits(aggregation: Names.Weighted), Names.Ensemble);
        var other = Run(TestWorlds.Bandits(aggregation: rule), Names.Ensemble);

        Assert.NotEqual(weighted.Select(r => r.SumExpectedClick), other.Select(r => r.SumExpectedClick));
    }
}
