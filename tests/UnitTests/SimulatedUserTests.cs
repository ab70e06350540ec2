using MultiAgentRec.Client.Scenarios;
using MultiAgentRec.Contracts;
using MultiAgentRec.Simulation;

namespace MultiAgentRec.UnitTests;

public sealed class SimulatedUserTests
{
    private const int SlateSize = 3;

    /// <summary>A small world: 30 items, 8 dimensions. Clicks are common at u₀ = 0 and never happen at u₀ = 50.</summary>
    private static SimulationSpec Spec(double noClickUtility = 0, string sessionBudget = "[100, 100]", double drift = 0.2)
    {
        var result = ScenarioLoader.Parse($"""
            name: users
            seed: 17
            slateSize: {SlateSize}
            catalog: {"{"}items: 30, topics: 4, embeddingDim: 8{"}"}
            users: {"{"}count: 10, segments: 3, sessionBudget: {sessionBudget}{"}"}
            choice: {"{"}noClickUtility: {noClickUtility}, interestDrift: {drift}{"}"}
            arms: [random]
            """, "test.yaml");
        Assert.True(result.Ok, string.Join(Environment.NewLine, result.Problems));
        return result.Spec!;
    }

    private static double Cosine(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        double xy = 0, xx = 0, yy = 0;
        for (var j = 0; j < x.Length; j++) { xy += x[j] * y[j]; xx += x[j] * x[j]; yy += y[j] * y[j]; }
        return xy / Math.Sqrt(xx * yy);
    }

    [Fact]
    public void Same_user_in_two_worlds_built_from_the_same_spec_behaves_identically_given_the_same_slates()
    {
        var spec = Spec();
        var worldA = new World(spec);
        var worldB = new World(spec);
        var userA = new SimulatedUser(worldA, 3);
        var userB = new SimulatedUser(worldB, 3);
        // A neighbour stepped only in world A: its draws must not shift user 3's (streams are keyed, not shared).
        var neighbour = new SimulatedUser(worldA, 4);

        Assert.Equal(userA.Segment, userB.Segment);
        Assert.Equal(userA.Profile, userB.Profile);
        Assert.Equal(userA.Interest.ToArray(), userB.Interest.ToArray());
        Assert.Equal(userA.Budget, userB.Budget);

        var slates = new SimRandom(71);
        var shownA = new int[SlateSize];
        var shownB = new int[SlateSize];
        var clicks = 0;
        for (var round = 0; round < 60; round++)
        {
            // Every fifth round serves the oracle slate (an empty slate), the others a random one.
            var slate = round % 5 == 4 ? Array.Empty<int>() : ChoiceModelTests.RandomSlate(ref slates, 30, SlateSize);
            neighbour.Step(round, slate, new int[SlateSize]);

            var a = userA.Step(round, slate, shownA);
            var b = userB.Step(round, slate, shownB);

            Assert.Equal(a, b);
            Assert.Equal(shownA, shownB);
            Assert.Equal(userA.Interest.ToArray(), userB.Interest.ToArray());
            Assert.Equal(userA.Budget, userB.Budget);
            Assert.Equal(userA.RecentClicks, userB.RecentClicks);
            if (a.ClickedPosition >= 0) clicks++;
        }
        // The comparison means something only if the user's state actually evolved through clicks,
        // and both paths (click and no click) were taken.
        Assert.True(clicks >= 5, $"only {clicks} clicks");
        Assert.True(clicks < 60, "no step without a click");
    }

    [Fact]
    public void A_click_moves_interest_toward_the_clicked_items_embedding_and_no_click_leaves_it()
    {
        var world = new World(Spec());
        var user = new SimulatedUser(world, 2);
        var rng = new SimRandom(72);
        var shown = new int[SlateSize];
        var clicks = 0;
        for (var round = 0; round < 40; round++)
        {
            var before = user.Interest.ToArray();
            var result = user.Step(round, ChoiceModelTests.RandomSlate(ref rng, 30, SlateSize), shown);

            if (result.ClickedPosition < 0)
            {
                Assert.Equal(before, user.Interest.ToArray());
                continue;
            }
            clicks++;
            var item = world.Catalog.Embedding(shown[result.ClickedPosition]);
            Assert.True(Cosine(user.Interest, item) > Cosine(before, item),
                $"round {round}: cosine to the clicked item went from {Cosine(before, item)} to {Cosine(user.Interest, item)}");
            Assert.Equal(shown[result.ClickedPosition], user.RecentClicks[^1]);
        }
        Assert.InRange(clicks, 5, 40);
    }

    [Fact]
    public void Session_budget_decreases_by_one_per_step_without_a_click_and_a_new_session_starts_when_it_runs_out()
    {
        // u₀ = 50 makes a click e^(−45)-unlikely: every step costs exactly 1 time unit.
        var world = new World(Spec(noClickUtility: 50, sessionBudget: "[2.5, 2.5]"));
        var user = new SimulatedUser(world, 0);
        var shown = new int[SlateSize];
        Assert.Equal((0, 2.5), (user.Session, user.Budget));

        var steps = new List<(bool Ended, int Session, double Budget)>();
        for (var round = 0; round < 6; round++)
        {
            var result = user.Step(round, [0, 1, 2], shown);
            Assert.Equal(-1, result.ClickedPosition);
            Assert.Equal(0f, result.Engagement);
            steps.Add((result.SessionEnded, user.Session, user.Budget));
        }

        // 2.5 → 1.5 → 0.5 → −0.5 ends the session; the next starts with a fresh 2.5.
        Assert.Equal(
            [(false, 0, 1.5), (false, 0, 0.5), (true, 1, 2.5), (false, 1, 1.5), (false, 1, 0.5), (true, 2, 2.5)],
            steps);
    }

    [Fact]
    public void A_click_costs_one_plus_its_engagement()
    {
        var world = new World(Spec(sessionBudget: "[1000, 1000]"));
        var user = new SimulatedUser(world, 5);
        var shown = new int[SlateSize];
        var clicks = 0;
        for (var round = 0; round < 30; round++)
        {
            var before = user.Budget;
            var result = user.Step(round, [], shown);
            // A step costs 1 + (1 + softplus(u))·lognormal: some 20 at most here, so 1000 outlasts 30 steps.
            Assert.False(result.SessionEnded);
            if (result.ClickedPosition >= 0)
            {
                clicks++;
                Assert.True(result.Engagement > 0);
            }
            // 1 + engagement is formed in float, then subtracted in double: one float rounding of a
            // number below 1 + engagement, and one double rounding of a number below 1000.
            Assert.Equal(before - (1 + result.Engagement), user.Budget, Math.Pow(2, -23) * (1 + result.Engagement) + 1000 * Math.Pow(2, -52));
        }
        Assert.InRange(clicks, 1, 30);
    }

    [Fact]
    public void Tiny_session_budget_ends_a_session_on_every_step()
    {
        var world = new World(Spec(sessionBudget: "[1, 1]"));
        var user = new SimulatedUser(world, 1);
        var shown = new int[SlateSize];

        for (var round = 0; round < 5; round++)
        {
            // A step costs at least 1, so a budget of 1 runs out at once, clicked or not.
            var result = user.Step(round, [], shown);
            Assert.True(result.SessionEnded);
            Assert.Equal(round + 1, user.Session);
            Assert.Equal(1.0, user.Budget);
        }
    }

    [Fact]
    public void A_step_reports_the_exact_quantities_of_the_shown_and_oracle_slates()
    {
        var world = new World(Spec());
        var user = new SimulatedUser(world, 6);
        var utilities = user.Utilities().ToArray();
        var oracle = new int[SlateSize];
        MultinomialLogitChoiceModel.OracleSlate(utilities, oracle);
        int[] slate = [oracle[2], 7, oracle[0]];
        if (oracle.Contains(7)) slate[1] = Enumerable.Range(0, 30).First(i => !oracle.Contains(i));

        var result = user.Step(0, slate, new int[SlateSize]);

        Assert.Equal(world.Choice.ExpectedClick(utilities, slate), result.ExpectedClick);
        Assert.Equal(world.Choice.ExpectedClick(utilities, oracle), result.OracleExpectedClick);
        Assert.Equal(world.Choice.Ndcg(utilities, slate, oracle), result.Ndcg);
        Assert.True(result.ExpectedClick < result.OracleExpectedClick);
    }
}
