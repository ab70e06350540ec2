using MultiAgentRec.Arms;
using MultiAgentRec.Contracts;
using MultiAgentRec.Simulation;

namespace MultiAgentRec.UnitTests;

public sealed class PopularityOracleTests
{
    [Fact]
    public void Each_segments_slate_holds_the_items_users_of_the_segment_click_most_when_shown_alone()
    {
        var spec = TestWorlds.Bandits(users: 300, items: 40);
        var world = new World(spec);
        int k = spec.SlateSize, items = world.Catalog.Count;

        var slates = PopularityOracle.SlatesOf(world);

        // Independently: the choice model's click probability of a one-item slate, averaged per segment.
        var users = Enumerable.Range(0, spec.Users.Count).Select(i => new SimulatedUser(world, i)).ToArray();
        for (var s = 0; s < spec.Users.Segments; s++)
        {
            var members = users.Where(u => u.Segment == s).Select(u => u.Utilities()).ToArray();
            var means = Enumerable.Range(0, items).Select(i => members.Average(ut => world.Choice.ExpectedClick(ut, [i]))).ToArray();
            var expected = Enumerable.Range(0, items).OrderByDescending(i => means[i]).Take(k).ToArray();
            Assert.Equal(expected, slates[(s * k)..((s + 1) * k)]);
        }
        Assert.Same(slates, PopularityOracle.SlatesOf(world));
    }

    [Fact]
    public void Popularity_oracle_arm_shows_fixed_slates_between_random_and_the_per_user_oracle()
    {
        var spec = TestWorlds.Bandits(users: 300, items: 40, rounds: 2);
        var world = new World(spec);
        RoundReport Round0(string arm) => new ArmSimulation(world, arm).RunRound(0);

        var popularity = Round0(Names.PopularityOracle);
        var random = Round0(Names.Random);

        // Only the segments' fixed slates were shown; they beat random slates by more than which
        // users happen to be drawn explains, but not the per-user optimum. Margin: a mean of U = 300
        // per-user click probabilities in [0, 1] strays from its expectation by more than
        // ε = √(ln(2/δ)/(2U)) with probability ≤ δ (Hoeffding); δ = 0.001: ε = 0.080, 2ε for two arms.
        Assert.Equal(PopularityOracle.SlatesOf(world).Distinct().Order(), popularity.ItemsShown);
        var margin = 2 * Math.Sqrt(Math.Log(2 / 0.001) / (2 * spec.Users.Count));
        double popularityCtr = popularity.SumExpectedClick / popularity.Slates, randomCtr = random.SumExpectedClick / random.Slates;
        Assert.True(popularityCtr - randomCtr > margin, $"{popularityCtr:F4} vs random {randomCtr:F4}, margin {margin:F4}");
        Assert.True(popularity.SumRegret > 0);
    }
}
