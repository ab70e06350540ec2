using MultiAgentRec.Coordination;
using MultiAgentRec.Simulation;

namespace MultiAgentRec.UnitTests;

public sealed class SegmentedHedgeWeightingTests
{
    [Theory]
    [InlineData(0.9, 0.5, 1.0)]
    [InlineData(0.95, 2.0, 0.5)]
    [InlineData(0.8, 8.0, 0.2)]
    public void Discounted_weights_follow_a_switch_of_the_best_agent_within_the_derived_bound(double discount, double eta, double gap)
    {
        // Agent 0 loses `gap` less than agent 1 for 200 rounds, then `gap` more. With discounting the
        // old lead is at most gap/(1 − λ), and s rounds after the switch L₀ − L₁ ≥ gap·(1 − 2λ^s)/(1 − λ)
        // (see HedgeWeighting): agent 1 holds at least agent 0's weight once s ≥ ln 2 / ln(1/λ),
        // whatever η. Without discounting (λ = 1) it takes as long as the lead lasted: 200 rounds.
        const int before = 200;
        var bound = (int)Math.Ceiling(Math.Log(2) / Math.Log(1 / discount));
        var hedge = new HedgeWeighting(2, floor: 0.05, eta, horizon: 400, discount);
        var classic = new HedgeWeighting(2, floor: 0.05, eta, horizon: 400);
        double low = 0.5 - gap / 2, high = 0.5 + gap / 2;
        for (var round = 0; round < before; round++)
        {
            hedge.Update([low, high]);
            classic.Update([low, high]);
        }
        Assert.True(hedge.Weights[0] > hedge.Weights[1]);

        for (var s = 1; s <= bound; s++)
        {
            hedge.Update([high, low]);
            classic.Update([high, low]);
        }
        Assert.True(hedge.Weights[1] >= hedge.Weights[0], $"after {bound} rounds: {hedge.Weights[1]} < {hedge.Weights[0]}");
        Assert.True(classic.Weights[1] < classic.Weights[0], "plain Hedge should still follow the old leader");
    }

    [Fact]
    public void Each_segment_row_learns_only_from_its_own_slates()
    {
        // Two rows, two agents: agent 0 earns more in row 0, agent 1 in row 1; row 2 sees no slates.
        var table = new SegmentedHedgeWeighting(rows: 3, agents: 2, learn: true, floor: 0.1, learningRate: 5, horizon: 10, discount: 1);
        for (var round = 0; round < 10; round++)
            table.Update([60, 20, 10, 50, 0, 0], [100, 100, 0]);

        Assert.True(table.Row(0)[0] > 0.9);
        Assert.True(table.Row(1)[1] > 0.9);
        Assert.Equal([0.5, 0.5], table.Row(2).ToArray());
        var flat = table.Flattened();
        Assert.Equal(6, flat.Length);
        for (var r = 0; r < 3; r++) Assert.Equal(1, flat[(2 * r)..(2 * r + 2)].Sum(), 1e-12);
    }

    [Fact]
    public void Weights_stay_on_the_simplex_above_the_floor()
    {
        // Property: whatever the credits, every row sums to 1 and every weight is at least floor/A.
        const int agents = 4;
        const double floor = 0.08;
        var table = new SegmentedHedgeWeighting(rows: 2, agents, learn: true, floor, learningRate: 3, horizon: 50, discount: 0.9);
        var rng = new SimRandom(73);
        var credit = new double[2 * agents];
        for (var round = 0; round < 200; round++)
        {
            for (var i = 0; i < credit.Length; i++) credit[i] = 300 * rng.NextDouble() * rng.NextDouble();
            table.Update(credit, [rng.NextInt(200), 150]);
            for (var r = 0; r < 2; r++)
            {
                Assert.Equal(1, table.Row(r).ToArray().Sum(), 1e-12);
                Assert.All(table.Row(r).ToArray(), w => Assert.True(w >= floor / agents - 1e-15, $"weight {w}"));
            }
        }
    }

    [Fact]
    public void Uniform_weights_never_learn_and_losses_restore_into_an_equal_table()
    {
        var uniform = new SegmentedHedgeWeighting(2, 3, learn: false, 0.05, 1, 10, 1);
        uniform.Update([9, 0, 0, 0, 0, 9], [10, 10]);
        Assert.All(uniform.Flattened(), w => Assert.Equal(1.0 / 3, w, 1e-15));

        var learned = new SegmentedHedgeWeighting(2, 3, learn: true, 0.05, 1, 10, 0.9);
        learned.Update([9, 0, 0, 0, 0, 9], [10, 10]);
        var restored = new SegmentedHedgeWeighting(2, 3, learn: true, 0.05, 1, 10, 0.9);
        Assert.True(restored.Restore(learned.CumulativeLosses));
        Assert.Equal(learned.Flattened(), restored.Flattened());
        Assert.False(restored.Restore([1, 2, 3]));
    }
}
