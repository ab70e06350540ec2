using MultiAgentRec.Simulation;

namespace MultiAgentRec.UnitTests;

public sealed class OracleTests
{
    private const int Items = 7;
    private const int SlateSize = 3;
    private const int Instances = 60;

    // 0 makes every order of the top-k equally good; the others make the order matter.
    public static TheoryData<double> Decays => [0.0, 0.5, 1.0, 2.5];

    /// <summary>Every ordered k-permutation of n items (n!/(n−k)! of them: 210 for 7 and 3).</summary>
    private static List<int[]> OrderedSlates(int n, int k)
    {
        var result = new List<int[]>();
        var current = new int[k];
        var used = new bool[n];
        void Fill(int slot)
        {
            if (slot == k) { result.Add((int[])current.Clone()); return; }
            for (var i = 0; i < n; i++)
            {
                if (used[i]) continue;
                used[i] = true; current[slot] = i;
                Fill(slot + 1);
                used[i] = false;
            }
        }
        Fill(0);
        return result;
    }

    private static float[] RandomUtilities(ref SimRandom rng)
    {
        var u = new float[Items];
        for (var i = 0; i < u.Length; i++) u[i] = (float)(2 * rng.NextGaussian());
        return u;
    }

    [Fact]
    public void Enumeration_covers_every_ordered_slate_once()
    {
        var slates = OrderedSlates(Items, SlateSize);

        Assert.Equal(7 * 6 * 5, slates.Count);
        Assert.Equal(slates.Count, slates.Select(s => string.Join(',', s)).Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(Decays))]
    public void No_ordered_slate_has_a_higher_click_probability_than_the_oracle_slate(double decay)
    {
        var slates = OrderedSlates(Items, SlateSize);
        var rng = SimRandom.For(21, (ulong)(decay * 1000));
        for (var instance = 0; instance < Instances; instance++)
        {
            var utilities = RandomUtilities(ref rng);
            var model = new MultinomialLogitChoiceModel(rng.NextGaussian(), decay, SlateSize);
            var oracle = new int[SlateSize];
            MultinomialLogitChoiceModel.OracleSlate(utilities, oracle);
            var best = model.ExpectedClick(utilities, oracle);

            foreach (var slate in slates)
            {
                // Two slates with equal exact values may round apart by a few ulps; 1e-12 relative is far
                // above that and far below any real difference the search could find.
                var value = model.ExpectedClick(utilities, slate);
                Assert.True(value <= best * (1 + 1e-12),
                    $"slate [{string.Join(',', slate)}] has {value}, oracle [{string.Join(',', oracle)}] only {best}");
            }
        }
    }

    [Fact]
    public void Oracle_slate_is_the_top_k_by_utility_in_decreasing_order()
    {
        var rng = new SimRandom(22);
        for (var instance = 0; instance < 200; instance++)
        {
            var utilities = RandomUtilities(ref rng);
            var oracle = new int[SlateSize];

            MultinomialLogitChoiceModel.OracleSlate(utilities, oracle);

            Assert.Equal(SlateSize, oracle.Distinct().Count());
            for (var k = 1; k < SlateSize; k++) Assert.True(utilities[oracle[k - 1]] >= utilities[oracle[k]]);
            var weakest = utilities[oracle[^1]];
            for (var i = 0; i < Items; i++)
                if (!oracle.Contains(i)) Assert.True(utilities[i] <= weakest, $"item {i} ({utilities[i]}) left out of the oracle slate");
        }
    }

    [Theory]
    [MemberData(nameof(Decays))]
    public void Ndcg_is_one_for_the_oracle_slate_and_at_most_one_for_any_other(double decay)
    {
        var slates = OrderedSlates(Items, SlateSize);
        var rng = SimRandom.For(23, (ulong)(decay * 1000));
        for (var instance = 0; instance < Instances; instance++)
        {
            var utilities = RandomUtilities(ref rng);
            var model = new MultinomialLogitChoiceModel(rng.NextGaussian(), decay, SlateSize);
            var oracle = new int[SlateSize];
            MultinomialLogitChoiceModel.OracleSlate(utilities, oracle);

            // DCG and ideal DCG are then the same sum computed in the same order: exactly equal.
            Assert.Equal(1.0, model.Ndcg(utilities, oracle, oracle));
            foreach (var slate in slates)
            {
                // As above: a slate with the same gains in the same places can round a few ulps above 1.
                var ndcg = model.Ndcg(utilities, slate, oracle);
                Assert.InRange(ndcg, 0.0, 1 + 1e-12);
            }
        }
    }
}
