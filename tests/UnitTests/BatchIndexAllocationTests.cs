using MultiAgentRec.Agents;

namespace MultiAgentRec.UnitTests;

public sealed class BatchIndexAllocationTests
{
    private static double Ucb1(double mean, double exposure, double total) => UpperConfidenceIndex.Ucb1(mean, exposure, total, 1);

    private static long[] Allocate(double[] means, double[] exposures, double total, long budget, long cap, double exposurePerPull = 1)
    {
        var pulls = new long[means.Length];
        BatchIndexAllocation.Allocate(means, exposures, total, budget, cap, exposurePerPull, Ucb1, pulls);
        return pulls;
    }

    [Fact]
    public void Greedy_hallucinated_pulls_match_a_hand_computation()
    {
        // Items A (p̂ 0.5, n 10), B (0.2, 10), C (0, 2); t = 22, 4 pulls of exposure 1, so every index
        // uses T = 26: 2 ln 26 = 6.516193. UCB1 = p̂ + √(6.516193 / n):
        //   A 0.5 + 0.807230 = 1.307230, B 0.2 + 0.807230 = 1.007230, C √(6.516193/2) = 1.805020.
        // Pull 1 → C (n 3: 1.473792); pull 2 → C (n 4: 1.276342); pull 3 → A, 1.307230 > 1.276342
        // (n 11: 0.5 + 0.769663 = 1.269663); pull 4 → C, 1.276342 > 1.269663. The mean stays: a
        // virtual pull brings exposure, no clicks.
        double[] means = [0.5, 0.2, 0], exposures = [10, 10, 2];
        Assert.Equal([1L, 0, 3], Allocate(means, exposures, 22, budget: 4, cap: 3));
        // At most 2 pulls per item (2 users): C is full after pull 2, A takes pulls 3 and 4 (1.269663 > B's 1.007230).
        Assert.Equal([2L, 0, 2], Allocate(means, exposures, 22, budget: 4, cap: 2));
        // A pull worth half an impression (a low slot) shrinks C's bonus half as fast. T = 22 + 4·0.5 = 24,
        // 2 ln 24 = 6.356108: C at n 2, 2.5, 3, 3.5 is 1.782710, 1.594504, 1.455576, 1.347602, all above
        // A's 0.5 + √0.635611 = 1.297252: every pull goes to C.
        Assert.Equal([0L, 0, 4], Allocate(means, exposures, 22, budget: 4, cap: 4, exposurePerPull: 0.5));
    }

    [Fact]
    public void Unseen_items_take_pulls_first_and_share_them_evenly()
    {
        // Items 1–3 were never shown: an infinite index whatever their virtual pulls; ties go to fewer
        // pulls, then to the earlier item. 7 pulls: 3, 2, 2, none left for the seen item.
        double[] means = [0.9, 0, 0, 0], exposures = [1, 0, 0, 0];
        Assert.Equal([0L, 3, 2, 2], Allocate(means, exposures, 1, budget: 7, cap: 10));
        // With 2 users, each unseen item is full at 2 and the seventh pull goes to the seen one.
        Assert.Equal([1L, 2, 2, 2], Allocate(means, exposures, 1, budget: 7, cap: 2));
    }

    [Fact]
    public void Well_separated_indexes_concentrate_the_round_on_the_best_items()
    {
        // Exploitation: 10⁶ impressions each and gaps of 0.1 against bonuses of √(2 ln(4·10⁶ + 2,000) / 10⁶) = 0.0055:
        // the round's 2,000 impressions go to the two best items, one per user, as one list per segment would.
        double[] means = [0.3, 0.5, 0.1, 0.4], exposures = [1e6, 1e6, 1e6, 1e6];
        Assert.Equal([0L, 1000, 0, 1000], Allocate(means, exposures, 4e6, budget: 2000, cap: 1000));
    }

    [Fact]
    public void Large_budgets_go_out_in_chunks_and_add_up()
    {
        // 100,000 pulls: chunks of ⌈100,000 / 4,096⌉ = 25; identical items end within one chunk of each other.
        var means = Enumerable.Repeat(0.2, 8).ToArray();
        var exposures = Enumerable.Repeat(500.0, 8).ToArray();
        var pulls = Allocate(means, exposures, 4000, budget: 100_000, cap: 20_000);
        Assert.Equal(100_000, pulls.Sum());
        Assert.All(pulls, p => Assert.InRange(p, 12_500 - 25, 12_500 + 25));
        // Budget above what the caps allow: every item full, the rest not handed out.
        var capped = new long[8];
        Assert.Equal(8 * 100, BatchIndexAllocation.Allocate(means, exposures, 4000, 100_000, 100, 1, Ucb1, capped));
        Assert.All(capped, p => Assert.Equal(100, p));
    }
}
