using MultiAgentRec.Agents;
using MultiAgentRec.Arms;
using MultiAgentRec.Contracts;
using MultiAgentRec.Coordination;
using MultiAgentRec.Simulation;

namespace MultiAgentRec.UnitTests;

public sealed class ScenarioEventTests
{
    // Interests do not drift with consumption here, so a preference shift is the only thing that moves them.
    private static SimulationSpec Spec(string events, int users = 60, int shardSize = 1000, string agents = "[{ id: eps, kind: epsilon-greedy, epsilon: 0.2 }, { id: ts, kind: thompson }]", int seed = 5, int items = 40) => TestWorlds.Spec($$"""
        name: events-test
        seed: {{seed}}
        rounds: 8
        slateSize: 4
        catalog: { items: {{items}}, topics: 4, embeddingDim: 8 }
        users: { count: {{users}}, segments: 3, shardSize: {{shardSize}} }
        choice: { interestDrift: 0 }
        agents: {{agents}}
        arms: [ensemble, solo, random, oracle]
        events:
        {{events}}
        """);

    private static RoundReport[] Run(SimulationSpec spec, string arm)
    {
        using var simulation = new ArmSimulation(new World(spec), arm);
        return Enumerable.Range(0, spec.Rounds).Select(simulation.RunRound).ToArray();
    }

    [Theory]
    [InlineData(Names.Ensemble)]
    [InlineData("solo:eps")]
    [InlineData("solo:ts")]
    [InlineData(Names.Random)]
    [InlineData(Names.Oracle)]
    public void Items_arrive_at_their_round_and_no_arm_shows_them_before(string arm)
    {
        var spec = Spec("  - { round: 4, newItems: { count: 10 } }");
        var timeline = new World(spec).Timeline;

        var rounds = Run(spec, arm);

        Assert.Equal((30, 30, 40), (timeline.InitialItems, timeline.AvailableItems(3), timeline.AvailableItems(4)));
        Assert.All(rounds.Take(4), r => Assert.All(r.ItemsShown, item => Assert.True(item < 30, $"{arm} showed item {item} in round {r.Round}")));
        // 60 users × 4 slots × 4 rounds of uniform slates over 40 items: missing all 10 new ones has probability < 1e-50.
        if (arm == Names.Random) Assert.Contains(rounds.Skip(4).SelectMany(r => r.ItemsShown), item => item >= 30);
    }

    [Theory]
    [InlineData(Names.Random)]
    [InlineData(Names.Oracle)]
    public void Before_items_arrive_the_run_is_the_run_of_a_catalog_without_them(string arm)
    {
        // A catalog's first items do not depend on its size (items are drawn one after another), so
        // until round 4 a 40-item catalog whose last 10 arrive then is a 30-item catalog: the same
        // random slates, the same oracle, the same regret, to the last bit.
        var arriving = Run(Spec("  - { round: 4, newItems: { count: 10 } }"), arm);
        var smaller = Run(Spec("  - { round: 7, preferenceShift: { segments: [2] } }", items: 30), arm);

        for (var r = 0; r < 4; r++)
        {
            Assert.Equal(smaller[r].Clicks, arriving[r].Clicks);
            Assert.Equal(smaller[r].SumExpectedClick, arriving[r].SumExpectedClick);
            Assert.Equal(smaller[r].SumRegret, arriving[r].SumRegret);
            Assert.Equal(smaller[r].SumNdcg, arriving[r].SumNdcg);
        }
        Assert.NotEqual(smaller[5].SumExpectedClick, arriving[5].SumExpectedClick);
    }

    [Fact]
    public void A_bandit_learns_nothing_about_an_item_before_it_arrives_so_it_starts_at_the_prior()
    {
        var spec = Spec("  - { round: 4, newItems: { count: 10 } }");
        var world = new World(spec);
        var shard = new ShardSimulation(world, Names.Ensemble, 0, 2);
        var policies = spec.Agents.Select(a => CandidateProposers.BanditPolicyFor(world, a, 1)).ToArray();
        for (var round = 0; round < 4; round++)
        {
            var proposers = spec.Agents.Select((a, i) => CandidateProposers.From(world, a, 1, new AgentModel(round, round, policies[i].ModelFor(round), null))).ToArray();
            var feedback = shard.RunRound(round, proposers, [0.5, 0.5], banditFeedback: true, trajectories: false).SegmentClickFeedback!;
            foreach (var p in policies) p.Observe(feedback);
        }

        foreach (var p in policies)
        {
            p.ModelFor(4);
            for (var segment = 0; segment < 3; segment++)
                for (var item = 30; item < 40; item++)
                    Assert.Equal(0, p.Statistics.Impressions[segment * 40 + item]);
            Assert.True(p.Statistics.Impressions.Sum() > 0);
        }
    }

    /// <summary>
    /// Items 30..39 arrive in round 4. Plays a solo arm of one agent of <paramref name="kind"/> (its
    /// model per round and how it learns from a round, from <paramref name="agentOf"/>) through rounds
    /// 0..3, checking that every user's list is full and holds only items that exist, and returns the
    /// items it proposes in round 4.
    /// </summary>
    private static int[] ProposedUntilArrival(string kind, Func<World, AgentSpec, (Func<int, AgentModel> Model, Action<ShardRoundResult> Learn)> agentOf)
    {
        var spec = Spec("  - { round: 4, newItems: { count: 10 } }", agents: $"[{{ id: a, kind: {kind} }}]");
        var world = new World(spec);
        var shard = new ShardSimulation(world, "solo:a", 0, 1);
        var (model, learn) = agentOf(world, spec.Agents[0]);
        var perAgent = Math.Min(spec.CandidatesPerAgent, world.Catalog.Count);
        for (var round = 0; ; round++)
        {
            var proposer = CandidateProposers.From(world, spec.Agents[0], 1, model(round));
            var lists = new CandidateSet(shard.Count, perAgent);
            proposer.Propose(round, shard.Users, lists);
            var proposed = Enumerable.Range(0, shard.Count).SelectMany(u => lists.ItemsOf(u).ToArray()).ToArray();
            if (round == 4) return proposed;
            Assert.All(Enumerable.Range(0, shard.Count), u => Assert.Equal(perAgent, lists.Counts[u]));
            Assert.All(proposed, item => Assert.True(item < 30, $"{kind} proposed item {item} in round {round}, before it arrives"));
            learn(shard.RunRound(round, [proposer], [1.0], banditFeedback: true, trajectories: true));
        }
    }

    [Theory]
    [InlineData(Names.EpsilonGreedy)]
    [InlineData(Names.Thompson)]
    [InlineData(Names.Ucb1)]
    [InlineData(Names.KlUcb)]
    public void Before_items_arrive_a_bandit_proposes_a_full_list_of_existing_items_and_the_index_kinds_try_the_new_ones_on_arrival(string kind)
    {
        // A bandit has never seen an item yet to arrive, so an index policy would rank it above every
        // item it has shown (an infinite index) and Thompson sampling's prior draws would crowd its
        // list; restricted after the fact, the list would be topped up with random items.
        var onArrival = ProposedUntilArrival(kind, (world, agent) =>
        {
            var policy = CandidateProposers.BanditPolicyFor(world, agent, 1);
            return (round => new AgentModel(round, round, policy.ModelFor(round), null), result => policy.Observe(result.SegmentClickFeedback!));
        });
        // On arrival the unseen items take the top of every segment's ranking.
        if (kind is Names.Ucb1 or Names.KlUcb) Assert.Contains(onArrival, item => item >= 30);
    }

    [Theory]
    [InlineData(Names.LinUcb)]
    [InlineData(Names.LinearThompson)]
    public void Before_items_arrive_a_linear_bandit_proposes_a_full_list_of_existing_items(string kind)
    {
        // An item yet to arrive has nothing learned about it, so the widest interval: unrestricted,
        // it would take a place in every user's pool.
        ProposedUntilArrival(kind, (world, agent) =>
        {
            var policy = new LinearBanditPolicy(world, agent, shards: 1);
            return (round => new AgentModel(round, round, null, null, policy.ModelFor(round)), result => policy.Observe(result.Trajectories!));
        });
    }

    [Fact]
    public void A_preference_shift_moves_its_segments_users_interests_by_their_centroids_move_and_no_one_else()
    {
        var spec = Spec("  - { round: 2, preferenceShift: { segments: [1] } }");
        var world = new World(spec);
        var shard = new ShardSimulation(world, Names.Random, 0, 0);
        shard.RunRound(0, [], [], false, false);
        shard.RunRound(1, [], [], false, false);
        var before = shard.Users.ToArray().Select(u => u.Interest.ToArray()).ToArray();

        shard.RunRound(2, [], [], false, false);

        int d = world.Catalog.Dim;
        var shift = Assert.Single(world.Timeline.Shifts);
        var deltas = shift.Deltas;
        Assert.All(deltas.AsSpan(0, d).ToArray().Concat(deltas.AsSpan(2 * d, d).ToArray()), x => Assert.Equal(0f, x));
        Assert.Contains(shard.Users.ToArray(), u => u.Segment == 1);
        for (var i = 0; i < shard.Count; i++)
        {
            var user = shard.Users[i];
            for (var j = 0; j < d; j++)
            {
                var expected = before[i][j] + (user.Segment == 1 ? deltas[d + j] : 0);
                Assert.Equal(expected, user.Interest[j], 5);
            }
        }
        // The new centroid is a unit vector and a different taste.
        var after = world.Timeline.CentroidsAt(2).AsSpan(d, d);
        var old = world.Timeline.CentroidsAt(1).AsSpan(d, d);
        Assert.Equal(1, Math.Sqrt(Dot(after, after)), 5);
        Assert.True(Dot(after, old) < 0.95, $"cosine {Dot(after, old)}");
        Assert.Same(world.Centroids, world.Timeline.CentroidsAt(1));
    }

    [Fact]
    public void A_preference_shift_depends_only_on_the_seed_and_a_smaller_amount_moves_less()
    {
        const string full = "  - { round: 2, preferenceShift: { segments: [0], amount: 1.0 } }";
        const string half = "  - { round: 2, preferenceShift: { segments: [0], amount: 0.5 } }";
        var a = new World(Spec(full)).Timeline.CentroidsAt(2);
        var again = new World(Spec(full)).Timeline.CentroidsAt(2);
        var otherSeed = new World(Spec(full, seed: 6)).Timeline.CentroidsAt(2);
        var world = new World(Spec(half));
        var halfway = world.Timeline.CentroidsAt(2);

        Assert.Equal(a, again);
        Assert.NotEqual(a, otherSeed);
        var d = world.Catalog.Dim;
        var old = world.Centroids.AsSpan(0, d);
        // Halfway along the chord, renormalised: closer to the old centroid than the full move, and closer to the target than the old centroid.
        Assert.True(Dot(halfway.AsSpan(0, d), old) > Dot(a.AsSpan(0, d), old));
        Assert.True(Dot(halfway.AsSpan(0, d), a.AsSpan(0, d)) > Dot(old, a.AsSpan(0, d)));
    }

    [Fact]
    public void A_cohort_joins_in_shards_of_its_own_and_its_figures_are_reported_apart()
    {
        var spec = Spec("  - { round: 3, cohort: { users: 25 } }", users: 60, shardSize: 20);
        var world = new World(spec);

        var layout = ShardLayout.For(spec);
        Assert.Equal([(0, -1), (0, -1), (0, -1), (3, 0), (3, 0)], layout.Select(s => (s.JoinRound, s.Cohort)));
        Assert.Equal([60, 80], layout.Skip(3).Select(s => s.FirstUser));
        Assert.Equal([20, 5], layout.Skip(3).Select(s => s.Count));
        Assert.Same(world.Timeline.CentroidsAt(3), world.CentroidsForUser(60));

        var rounds = Run(spec, Names.Ensemble);

        Assert.All(rounds.Take(3), r => { Assert.Equal(60, r.Slates); Assert.Empty(r.Cohorts!); });
        Assert.All(rounds.Skip(3), r =>
        {
            Assert.Equal(85, r.Slates);
            var cohort = Assert.Single(r.Cohorts!);
            Assert.Equal((0, 25), (cohort.Cohort, cohort.Slates));
            Assert.InRange(cohort.Clicks, 0, r.Clicks);
            Assert.InRange(cohort.SumExpectedClick, 0, r.SumExpectedClick);
        });
        // Without cohorts a round report carries none.
        Assert.Null(Run(Spec("  - { round: 3, newItems: { count: 2 } }"), Names.Random)[5].Cohorts);
    }

    [Theory]
    [InlineData(Names.Ensemble)]
    [InlineData(Names.Random)]
    [InlineData(Names.Oracle)]
    public void With_every_event_type_an_arms_figures_do_not_depend_on_how_users_are_split_into_shards(string arm)
    {
        const string events = """
              - { round: 2, preferenceShift: { segments: [0, 2] } }
              - { round: 3, newItems: { count: 8 } }
              - { round: 4, cohort: { users: 23 } }
              - { round: 5, removeAgent: eps }
              - { round: 6, addAgent: eps }
            """;
        var whole = Run(Spec(events, shardSize: 1000), arm);
        var split = Run(Spec(events, shardSize: 7), arm);

        for (var r = 0; r < whole.Length; r++)
        {
            Assert.Equal(whole[r].Clicks, split[r].Clicks);
            Assert.Equal(whole[r].SumExpectedClick, split[r].SumExpectedClick, 9);
            Assert.Equal(whole[r].ItemsShown, split[r].ItemsShown);
            Assert.Equal(whole[r].Weights.Select(w => w.Weight), split[r].Weights.Select(w => w.Weight));
            Assert.Equal(whole[r].Cohorts!.Select(c => (c.Slates, c.Clicks)), split[r].Cohorts!.Select(c => (c.Slates, c.Clicks)));
        }
    }

    [Fact]
    public void Checking_proposals_accepts_lists_of_existing_items_and_names_the_agent_of_a_future_item_or_a_short_list()
    {
        var set = new CandidateSet(users: 2, perUser: 6);
        Write(set, 0, [2, 7, 4, 1]);
        Write(set, 1, [0, 1, 2]);

        // Items 0..7 exist and slates hold 3: both lists are valid.
        ItemAvailability.CheckProposals(set, 2, available: 8, minimum: 3, round: 2, "agent 1 (Test)");
        // Only 0..4 exist: user 0's item 7 arrives later.
        var future = Assert.Throws<InvalidOperationException>(() => ItemAvailability.CheckProposals(set, 2, available: 5, minimum: 3, round: 2, "agent 1 (Test)"));
        Assert.StartsWith("agent 1 (Test) proposed item 7 in round 2, before it arrives (items 0..4 exist)", future.Message, StringComparison.Ordinal);
        // Slates of 4: user 1's 3 items cannot fill one although 8 items exist.
        var shortList = Assert.Throws<InvalidOperationException>(() => ItemAvailability.CheckProposals(set, 2, available: 8, minimum: 4, round: 2, "agent 1 (Test)"));
        Assert.StartsWith("agent 1 (Test) proposed 3 items to user 1 of its shard in round 2, fewer than the 4", shortList.Message, StringComparison.Ordinal);
        // When only 3 items exist, all 3 are a full list even for slates of 4.
        var all = new CandidateSet(users: 1, perUser: 6);
        Write(all, 0, [2, 0, 1]);
        ItemAvailability.CheckProposals(all, 1, available: 3, minimum: 4, round: 0, "agent 0 (Test)");
    }

    private static void Write(CandidateSet set, int user, int[] items)
    {
        items.CopyTo(set.ItemRow(user));
        for (var i = 0; i < items.Length; i++) set.ScoreRow(user)[i] = items.Length - i;
        set.Set(user, items.Length, 0.5f, 2f);
    }

    /// <summary>Proposes the catalog's last items first, as a proposer that knew nothing of arrivals would rank unseen items.</summary>
    private sealed class LastItemsFirstProposer(int catalog) : ICandidateProposer
    {
        public void Propose(int round, ReadOnlySpan<SimulatedUser> users, CandidateSet output)
        {
            for (var u = 0; u < users.Length; u++)
            {
                for (var j = 0; j < output.PerUser; j++) output.ItemRow(u)[j] = catalog - 1 - j;
                output.Set(u, output.PerUser, 0, 1);
            }
        }
    }

    [Fact]
    public void A_shard_fails_the_round_of_a_proposer_that_lists_an_item_before_it_arrives()
    {
        // Items 30..39 arrive in round 4; before, the list's items 39, 38, ... do not exist yet.
        var spec = Spec("  - { round: 4, newItems: { count: 10 } }", agents: "[{ id: a, kind: thompson }]");
        var world = new World(spec);
        var shard = new ShardSimulation(world, "solo:a", 0, 1);

        var error = Assert.Throws<InvalidOperationException>(() => shard.RunRound(0, [new LastItemsFirstProposer(40)], [1.0], banditFeedback: false, trajectories: false));

        Assert.StartsWith($"agent 0 ({nameof(LastItemsFirstProposer)}) proposed item 39 in round 0, before it arrives (items 0..29 exist)", error.Message, StringComparison.Ordinal);
        // From the arrival round on every item exists, and the same proposer's lists are played.
        var arrived = new ShardSimulation(world, "solo:a", 0, 1);
        Assert.Equal(spec.Users.Count, arrived.RunRound(4, [new LastItemsFirstProposer(40)], [1.0], banditFeedback: false, trajectories: false).Report.Slates);
    }

    [Fact]
    public void Absent_agents_weigh_nothing_and_are_charged_the_present_agents_mean_loss()
    {
        var weights = ActiveAgentWeights.Renormalise([0.5, 0.3, 0.2], [true, false, true]);
        double[] losses = [0.2, 1.0, 0.6];
        ActiveAgentWeights.ChargeAbsent(losses, [true, false, true]);

        Assert.Equal([0.5 / 0.7, 0, 0.2 / 0.7], weights, (x, y) => Math.Abs(x - y) < 1e-12);
        Assert.Equal([0.2, 0.4, 0.6], losses, (x, y) => Math.Abs(x - y) < 1e-12);
        // Everyone present: nothing changes, to the last bit.
        Assert.Equal([0.5, 0.3, 0.2], ActiveAgentWeights.Renormalise([0.5, 0.3, 0.2], [true, true, true]));
    }

    [Fact]
    public void An_agent_added_mid_run_enters_at_the_present_agents_mean_cumulative_loss()
    {
        var spec = Spec("  - { round: 2, addAgent: c }", users: 60,
            agents: "[{ id: a, kind: thompson }, { id: b, kind: thompson }, { id: c, kind: thompson }]");
        var coordinator = new ArmCoordinator(spec, Names.Ensemble);
        ShardReport Report(params int[] credited) => new(60, 40, 0, 0, 0, 0, 0, [], credited, 0, [.. credited.Select(c => (double)c)], [60]);

        Assert.Equal([false, false, true], new[] { 0, 1, 2 }.Select(r => coordinator.Active(r)[2]));
        Assert.Equal(0, coordinator.WeightsAt(0)[2]);
        Assert.Equal(1, coordinator.WeightsAt(0).Sum(), 12);
        var report = coordinator.Reduce(0, [Report(30, 6, 0)], 0);
        coordinator.Reduce(1, [Report(24, 12, 0)], 0);

        Assert.Equal(0, report.Weights[2].Weight);
        // a lost 0.5 + 0.6, b 0.9 + 0.8: c is charged their mean, 1.4.
        var cumulative = coordinator.Hedge!.CumulativeLosses;
        Assert.Equal(1.4, cumulative[2], 12);
        Assert.Equal((cumulative[0] + cumulative[1]) / 2, cumulative[2], 12);
        var joined = coordinator.WeightsAt(2);
        Assert.Equal(1, joined.Sum(), 12);
        Assert.InRange(joined[2], Math.Min(joined[0], joined[1]), Math.Max(joined[0], joined[1]));
    }

    private static double Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        double s = 0;
        for (var j = 0; j < x.Length; j++) s += x[j] * y[j];
        return s;
    }
}
