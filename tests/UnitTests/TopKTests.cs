using MultiAgentRec.Simulation;

namespace MultiAgentRec.UnitTests;

public sealed class TopKTests
{
    /// <summary>The reference: a stable full sort by value, descending, index ascending among equals.</summary>
    private static int[] SortTopK(float[] values, int k) =>
        Enumerable.Range(0, values.Length).OrderByDescending(i => values[i]).ThenBy(i => i).Take(k).ToArray();

    [Fact]
    public void TopK_select_equals_a_full_sorts_top_k_with_ties_to_the_lower_index()
    {
        var rng = new SimRandom(31);
        for (var trial = 0; trial < 2000; trial++)
        {
            var n = 1 + rng.NextInt(40);
            var k = 1 + rng.NextInt(Math.Min(n, 10));
            // Half the arrays draw from five values only, so ties are everywhere, including at the cut.
            var fewValues = trial % 2 == 0;
            var values = new float[n];
            for (var i = 0; i < n; i++) values[i] = fewValues ? rng.NextInt(5) - 2 : (float)rng.NextGaussian();
            var result = new int[k];

            TopK.Select(values, result);

            Assert.Equal(SortTopK(values, k), result);
        }
    }

    [Fact]
    public void TopK_select_of_all_items_is_a_full_sort()
    {
        float[] values = [0.5f, -1f, 2f, 0.5f, 3f, -1f];
        var result = new int[values.Length];

        TopK.Select(values, result);

        Assert.Equal([4, 2, 0, 3, 1, 5], result);
    }

    [Fact]
    public void TopK_select_of_equal_values_keeps_the_lowest_indices_in_order()
    {
        var values = new float[9];
        Array.Fill(values, 1.25f);
        var result = new int[4];

        TopK.Select(values, result);

        Assert.Equal([0, 1, 2, 3], result);
    }
}
