using MultiAgentRec.Agents;
using MultiAgentRec.Contracts;
using MultiAgentRec.Coordination;
using MultiAgentRec.Simulation;

namespace MultiAgentRec.UnitTests;

public sealed class BanditPolicyTests
{
    private static AgentSpec Agent(string kind, params (string, double)[] parameters) => new("a", kind, parameters.ToDictionary(p => p.Item1, p => p.Item2));

    private static SegmentClickFeedback Feedback(int round, params (int Cell, int Shown, int Clicked)[] cells) =>
        new(round, 0, cells.Select(c => c.Cell).ToArray(), cells.Select(c => c.Shown).ToArray(), cells.Select(c => c.Clicked).ToArray());

    [Fact]
    public void Feedback_of_a_round_reaches_only_the_models_of_later_rounds()
    {
        var policy = new EpsilonGreedyPolicy(Agent(Names.EpsilonGreedy), segments: 1, items: 5, candidates: 2, seed: 1, streamKey: 2);
        policy.Observe(Feedback(3, (4, 10, 9)));

        var round3 = policy.ModelFor(3);
        var round4 = policy.ModelFor(4);

        // Prior mean 1/11 everywhere in round 3; item 4 at (9+1)/(10+11) = 0.476 from round 4.
        Assert.All(round3.Means, m => Assert.Equal(1f / 11, m, 1e-6));
        Assert.Equal(4, round4.Items[0]);
        Assert.Equal(10f / 21, round4.Means[0], 1e-6);
        Assert.Same(round4, policy.ModelFor(4));
    }

    [Fact]
    public void Epsilon_greedy_model_lists_each_segment_best_mean_first_with_the_whole_rows_mean_and_sd()
    {
        const int items = 6;
        var policy = new EpsilonGreedyPolicy(Agent(Names.EpsilonGreedy), segments: 2, items, candidates: 3, seed: 1, streamKey: 2);
        // Segment 1 (cells 6..11): item 2 clicked 5 of 5, item 0 clicked 1 of 9, item 5 shown 20 times, never clicked.
        policy.Observe(Feedback(0, (6 + 0, 9, 1), (6 + 2, 5, 5), (6 + 5, 20, 0)));

        var model = policy.ModelFor(1);

        float[] means = [2f / 20, 1f / 11, 6f / 16, 1f / 11, 1f / 11, 1f / 31];
        // The top 3 means end in a three-way tie at the prior mean 1/11: 2 and 0 are ranked, 1, 3, 4 tied.
        Assert.Equal([2, 0], model.Items[model.Starts[1]..model.TiedStarts[1]]);
        Assert.Equal([1, 3, 4], model.Items[model.TiedStarts[1]..model.Starts[2]]);
        Assert.Equal(6f / 16, model.Means[model.Starts[1]]);
        var (mean, sd) = Standardizer.MeanAndSd(means);
        Assert.Equal(mean, model.RowMeans[1], 1e-6);
        Assert.Equal(sd, model.RowSds[1], 1e-6);
    }

    [Fact]
    public void Thompson_pool_holds_the_items_with_the_highest_optimistic_index()
    {
        const int items = 8;
        var policy = new ThompsonSamplingPolicy(Agent(Names.Thompson, ("poolFactor", 1)), segments: 1, items, candidates: 2, seed: 1, streamKey: 2);
        // Item 3: 40 of 40 (mean ≈ 0.80, tiny sd); item 6: 0 of 200 (mean ≈ 0.005): last by far.
        // Unseen items: Beta(1, 10), mean 0.0909, sd 0.0867 → index 0.351, below item 3's.
        policy.Observe(Feedback(0, (3, 40, 40), (6, 200, 0)));

        var model = policy.ModelFor(1);

        Assert.Equal(2, model.Pool);
        Assert.Equal([3], model.Items[model.Starts[0]..model.TiedStarts[0]]);
        Assert.Equal([0, 1, 2, 4, 5, 7], model.Items[model.TiedStarts[0]..model.Starts[1]]);
        Assert.Equal(41f, model.Alphas[0]);
        Assert.Equal(10f, model.Betas[0]);
        // The row's expected mean: (41/51 + 1/211 + 6 × 1/11) / 8.
        Assert.Equal((41.0 / 51 + 1.0 / 211 + 6.0 / 11) / 8, model.RowMeans[0], 1e-6);
    }

    [Fact]
    public void Thompson_proposals_are_the_top_draws_of_the_pool_best_first()
    {
        var spec = TestWorlds.Bandits(users: 30);
        var world = new World(spec);
        var policy = new ThompsonSamplingPolicy(Agent(Names.Thompson), spec.Users.Segments, world.Catalog.Count, candidates: 5, seed: 1, streamKey: 2);
        var model = policy.ModelFor(0);
        var users = Enumerable.Range(0, 30).Select(i => new SimulatedUser(world, i)).ToArray();
        var output = new CandidateSet(30, 5);

        new ThompsonSamplingProposer(model, 1, 2).Propose(0, users, output);

        for (var u = 0; u < 30; u++)
        {
            var segment = users[u].Segment;
            var pool = model.Items[model.Starts[segment]..model.Starts[segment + 1]];
            Assert.Equal(5, output.ItemsOf(u).Length);
            Assert.All(output.ItemsOf(u).ToArray(), item => Assert.Contains(item, pool));
            var scores = output.ScoresOf(u).ToArray();
            Assert.Equal(scores.OrderDescending(), scores);
        }
    }

    [Fact]
    public void Epsilon_greedy_exploration_draws_the_top_order_statistics_of_uniform_scores()
    {
        // An exploring user gets N random items with the top N of n uniform scores: the best has
        // mean n/(n+1) and the N-th (n+1−N)/(n+1). Over 4,000 exploring users the sample means are
        // within 4 standard errors (sd of an order statistic < 0.1 here).
        const int items = 50, users = 4000, n = 5;
        var spec = TestWorlds.Bandits(users: users, items: items);
        var world = new World(spec);
        var policy = new EpsilonGreedyPolicy(Agent(Names.EpsilonGreedy, ("epsilon", 1)), spec.Users.Segments, items, n, 1, 2);
        var proposer = new EpsilonGreedyProposer(policy.ModelFor(0), new EpsilonSchedule(1, 0, 0), items, 1, 2);
        var population = Enumerable.Range(0, users).Select(i => new SimulatedUser(world, i)).ToArray();
        var output = new CandidateSet(users, n);

        proposer.Propose(0, population, output);

        var first = Enumerable.Range(0, users).Average(u => output.ScoresOf(u)[0]);
        var last = Enumerable.Range(0, users).Average(u => output.ScoresOf(u)[n - 1]);
        var se = 0.1 / Math.Sqrt(users);
        Assert.Equal(items / (items + 1.0), first, 4 * se);
        Assert.Equal((items + 1.0 - n) / (items + 1), last, 4 * se);
        Assert.All(Enumerable.Range(0, users), u => Assert.Equal(n, output.ItemsOf(u).ToArray().Distinct().Count()));
    }

    [Fact]
    public void A_users_pool_is_the_ranked_items_then_a_uniform_sample_of_the_tied_ones()
    {
        // One segment: 2 ranked items, 10 tied; pools of 5 take 3 tied ones, each with probability 3/10.
        var model = new BanditModel(1, 5, [7, 8, 0, 1, 2, 3, 4, 5, 6, 9, 10, 11], new float[12], new float[12], new float[12], [0], [1], [0, 12], [2]);
        var counts = new int[12];
        var rng = new SimRandom(9);
        var pool = new int[5];
        const int draws = 20_000;
        for (var d = 0; d < draws; d++)
        {
            Assert.Equal(5, BanditPools.Fill(model, 0, ref rng, pool));
            Assert.Equal([0, 1], pool[..2]);
            Assert.Equal(5, pool.Distinct().Count());
            foreach (var position in pool[2..]) counts[position]++;
        }
        // Binomial(20,000, 0.3): standard error 0.0032 of the frequency; 4 of them.
        for (var position = 2; position < 12; position++) Assert.Equal(0.3, (double)counts[position] / draws, 4 * Math.Sqrt(0.3 * 0.7 / draws));
    }

    [Fact]
    public void A_catalog_wide_tie_keeps_a_bounded_random_subset_that_changes_every_round()
    {
        // 5,000 unexplored items all share the prior mean: the model keeps 16 × pool of them, not 5,000.
        var policy = new EpsilonGreedyPolicy(Agent(Names.EpsilonGreedy), segments: 1, items: 5000, candidates: 4, seed: 1, streamKey: 2);

        var round0 = policy.ModelFor(0);
        var round1 = policy.ModelFor(1);

        var kept = round0.Items[round0.TiedStarts[0]..round0.Starts[1]];
        Assert.Equal(16 * 4, kept.Length);
        Assert.Equal(kept.Order().Distinct(), kept);
        Assert.NotEqual(kept, round1.Items[round1.TiedStarts[0]..round1.Starts[1]]);
    }
}
