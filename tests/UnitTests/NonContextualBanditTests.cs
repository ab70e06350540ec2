using MultiAgentRec.Agents;
using MultiAgentRec.Contracts;

namespace MultiAgentRec.UnitTests;

public sealed class NonContextualBanditTests
{
    private static AgentSpec Agent(string kind, params (string, double)[] parameters) => new("a", kind, parameters.ToDictionary(p => p.Item1, p => p.Item2));

    private static SegmentClickFeedback Feedback(int round, params (int Cell, int Slot, int Shown, int Clicked)[] rows) =>
        new(round, 0, rows.Select(r => r.Cell).ToArray(), rows.Select(r => r.Shown).ToArray(), rows.Select(r => r.Clicked).ToArray(), rows.Select(r => r.Slot).ToArray());

    [Fact]
    public void Ucb1_index_is_the_mean_plus_the_hoeffding_bonus()
    {
        // 0.2 + √(2 ln 100 / 10) = 0.2 + √0.921034 = 1.159705.
        Assert.Equal(1.1597052, UpperConfidenceIndex.Ucb1(0.2, 10, 100, 1), 6);
        // The scale multiplies the bonus only: 0.2 + 0.5 × 0.959705.
        Assert.Equal(0.6798526, UpperConfidenceIndex.Ucb1(0.2, 10, 100, 0.5), 6);
    }

    [Fact]
    public void Ucb1_tuned_bonus_follows_the_click_variance_capped_at_a_quarter()
    {
        // p̂ = 0.2, n = 10, ln t = ln 100 = 4.605170: V = 0.16 + √(2·4.605170/10) = 1.119705 > 1/4, so
        // the bonus is √(4.605170/10 · 0.25) = 0.339307.
        Assert.Equal(0.5393070, UpperConfidenceIndex.Ucb1Tuned(0.2, 10, 100), 6);
        // p̂ = 0.1, n = 1,000, ln t = ln 1e5 = 11.512925: V = 0.09 + √0.023026 = 0.241743 < 1/4, so the
        // bonus is √(0.011513 · 0.241743) = 0.052756, a third of UCB1's 0.151743.
        Assert.Equal(0.1527557, UpperConfidenceIndex.Ucb1Tuned(0.1, 1000, 1e5), 6);
        Assert.Equal(0.2517426, UpperConfidenceIndex.Ucb1(0.1, 1000, 1e5, 1), 6);
    }

    [Fact]
    public void Kl_ucb_index_solves_the_kl_budget_to_its_tolerance()
    {
        // p̂ = 0: kl(0, q) = −ln(1 − q), so n·kl = ln t gives q = 1 − exp(−ln t / n) = 1 − e^(−0.1) for n = 50, ln t = 5.
        Assert.Equal(1 - Math.Exp(-0.1), UpperConfidenceIndex.KlUcb(0, 50, Math.Exp(5), 0), 5);
        // p̂ = 0.1, n = 100, ln t = 2: kl(0.1, q) = 0.02 at q = 0.1703836 (solved by hand to 1e-9).
        var q = UpperConfidenceIndex.KlUcb(0.1, 100, Math.Exp(2), 0);
        Assert.InRange(0.1703836 - q, 0, UpperConfidenceIndex.KlTolerance + 1e-7);
        // The ln ln t term: c = 3 at ln t = e² widens the budget to (e² + 3·2)/n.
        var wide = UpperConfidenceIndex.KlUcb(0.1, 100, Math.Exp(Math.Exp(2)), 3);
        Assert.Equal((Math.Exp(2) + 6) / 100, UpperConfidenceIndex.BernoulliKl(0.1, wide), 4);
        // A certain arm stays at 1; the index is never below the mean.
        Assert.Equal(1, UpperConfidenceIndex.KlUcb(1, 10, 100, 0));
        Assert.True(UpperConfidenceIndex.KlUcb(0.3, 1e6, 10, 0) >= 0.3);
    }

    [Fact]
    public void Kl_ucb_is_tighter_than_ucb1_at_low_click_rates()
    {
        // The range-based UCB1 bonus ignores that a 2 % click rate has variance 0.0196, not 1/4.
        var kl = UpperConfidenceIndex.KlUcb(0.02, 1000, 1e5, 0);
        var ucb = UpperConfidenceIndex.Ucb1(0.02, 1000, 1e5, 1);
        Assert.True(kl < 0.06 && ucb > 0.15, $"kl-ucb {kl}, ucb1 {ucb}");
    }

    [Fact]
    public void Thompson_posterior_is_beta_of_prior_plus_clicks_and_misses()
    {
        // 3 clicks in 20 impressions, prior Beta(1, 10): Beta(4, 27), mean 4/31.
        var policy = new ThompsonSamplingPolicy(Agent(Names.Thompson, ("poolFactor", 1), ("positionBias", 0)), 1, 4, candidates: 4, seed: 1, streamKey: 2, slateSize: 2);
        policy.Observe(Feedback(0, (2, 0, 12, 2), (2, 1, 8, 1)));

        var model = policy.ModelFor(1);

        var at = Array.IndexOf(model.Items, 2);
        Assert.Equal(4f, model.Alphas[at]);
        Assert.Equal(27f, model.Betas[at]);
        Assert.Equal(4f / 31, model.Means[at], 1e-6);
    }

    [Fact]
    public void Ucb1_ranks_unseen_items_first_then_by_index()
    {
        var policy = new Ucb1Policy(Agent(Names.Ucb1, ("positionBias", 0), ("batchAllocation", 0)), 1, 4, candidates: 4, seed: 1, streamKey: 2);
        // t = 150: item 0: 0.5 + √(2 ln 150 / 100) = 0.81661; item 1: 0.2 + √(2 ln 150 / 50) = 0.64776.
        policy.Observe(Feedback(0, (0, 0, 100, 50), (1, 0, 50, 10)));

        var model = policy.ModelFor(1);

        Assert.Equal([2, 3], model.Items[..2].Order());
        Assert.Equal([0, 1], model.Items[2..]);
        Assert.Equal(0.5 + Math.Sqrt(2 * Math.Log(150) / 100), model.Means[2], 5);
        Assert.Equal(0.2 + Math.Sqrt(2 * Math.Log(150) / 50), model.Means[3], 5);
        Assert.Equal(model.Means[2] + 1, model.Means[0], 5);
    }

    [Fact]
    public void Index_policy_spends_the_last_rounds_impressions_on_the_round_it_plans()
    {
        var policy = new Ucb1Policy(Agent(Names.Ucb1, ("positionBias", 0)), 1, 4, candidates: 4, seed: 1, streamKey: 2);
        // Before any feedback there is nothing to plan with: one list per segment, no shares.
        Assert.Null(policy.ModelFor(0).Shares);
        // Round 0 showed 150 impressions, one slot each: 150 users. Items 2 and 3 were never shown
        // (an infinite index), so the 150 virtual pulls of round 1 go to them, 75 each: half the users each.
        policy.Observe(Feedback(0, (0, 0, 100, 50), (1, 0, 50, 10)));

        var model = policy.ModelFor(1);

        Assert.Equal([2, 3], model.Items[..2].Order());
        Assert.Equal([0, 1], model.Items[2..]);
        Assert.Equal([0.5f, 0.5f, 0, 0], model.Shares!);
        Assert.Equal(0.5 + Math.Sqrt(2 * Math.Log(150) / 100), model.Means[2], 5);
    }

    [Fact]
    public void Index_policy_with_well_separated_items_shows_every_user_the_same_best_list()
    {
        // 10⁶ impressions of each of 5 items, clicked at 0.5 … 0.1, in slates of 2: the round's 5·10⁶
        // impressions (2.5·10⁶ users) fill items 0 and 1 (bonus √(2 ln 10⁷ / 10⁶) ≈ 0.006 against
        // gaps of 0.1), and every user gets the plain policy's list, best first.
        AgentSpec Spec(double batch) => Agent(Names.KlUcb, ("positionBias", 0), ("batchAllocation", batch));
        var feedback = Feedback(0, (0, 0, 1_000_000, 500_000), (1, 0, 1_000_000, 400_000), (2, 0, 1_000_000, 300_000),
            (3, 0, 1_000_000, 200_000), (4, 0, 1_000_000, 100_000));
        var batch = new KlUcbPolicy(Spec(1), 1, 5, candidates: 5, seed: 1, streamKey: 2, slateSize: 2);
        var plain = new KlUcbPolicy(Spec(0), 1, 5, candidates: 5, seed: 1, streamKey: 2, slateSize: 2);
        batch.Observe(feedback);
        plain.Observe(feedback);

        var model = batch.ModelFor(1);

        Assert.Equal([0, 1, 2, 3, 4], model.Items);
        Assert.Equal([1f, 1, 0, 0, 0], model.Shares!);
        Assert.Equal(plain.ModelFor(1).Items, model.Items);
    }

    [Fact]
    public void Epsilon_decays_harmonically_down_to_its_floor()
    {
        var schedule = new EpsilonSchedule(0.2, 0.1, 0.05);
        Assert.Equal(0.2, schedule.At(0), 12);
        Assert.Equal(0.1, schedule.At(10), 12);
        Assert.Equal(0.05, schedule.At(30), 12);
        Assert.Equal(0.05, schedule.At(1000), 12);
        // The defaults keep today's constant ε.
        Assert.Equal(0.1, EpsilonSchedule.Of(Agent(Names.EpsilonGreedy)).At(500), 12);
    }

    [Fact]
    public void Position_bias_correction_credits_an_item_shown_where_users_rarely_look()
    {
        // Slot 1 is examined 0.4 times as often as slot 0: items 0 and 1 are shown 1,000 times in
        // each slot and clicked θ_k·γ times (γ = 0.5 and 0.2). Item 2 was only ever in slot 1,
        // clicked 40 of 1,000 (rate 0.04, attractiveness 0.04/0.4 = 0.1 in top-slot terms); item 3
        // only in slot 0, clicked 70 of 1,000 (0.07). Raw rates put item 3 above item 2; corrected
        // for examination, item 2's 1,000 impressions count as 400 and its rate is 0.1 > 0.07.
        var feedback = Feedback(0,
            (0, 0, 1000, 400), (0, 1, 1000, 160),
            (1, 0, 1000, 160), (1, 1, 1000, 64),
            (2, 1, 1000, 40),
            (3, 0, 1000, 70));
        EpsilonGreedyPolicy Policy(double positionBias)
        {
            var p = new EpsilonGreedyPolicy(Agent(Names.EpsilonGreedy, ("positionBias", positionBias), ("positionSweeps", 200)), 1, 4, candidates: 4, seed: 1, streamKey: 2, slateSize: 2);
            p.Observe(feedback);
            return p;
        }

        var corrected = Policy(1);
        var plain = Policy(0);
        var model = corrected.ModelFor(1);

        Assert.Equal(0.4, corrected.Positions!.Examination(1), 6);
        Assert.Equal(400, corrected.Exposures[2], 3);
        Assert.Equal([0, 1, 2, 3], model.Items);
        Assert.Equal([0, 1, 3, 2], plain.ModelFor(1).Items);
    }

    [Fact]
    public void A_restored_policy_gives_back_the_same_models()
    {
        static KlUcbPolicy Fresh() => new(Agent(Names.KlUcb), 2, 6, candidates: 3, seed: 4, streamKey: 5, slateSize: 3);
        var original = Fresh();
        original.Observe(Feedback(0, (1, 0, 30, 4), (1, 2, 10, 0), (7, 1, 20, 3), (9, 0, 5, 5)));
        var first = original.ModelFor(1);
        original.Observe(Feedback(1, (2, 1, 30, 6), (8, 0, 10, 2)));

        var restored = Fresh();
        restored.Restore(original.Save());

        Assert.Equal(first, restored.ModelFor(1), ModelComparer.Instance);
        Assert.NotNull(first.Shares);
        Assert.Equal(original.ModelFor(2), restored.ModelFor(2), ModelComparer.Instance);
        Assert.Equal(original.Positions!.Examination(2), restored.Positions!.Examination(2));
    }

    private sealed class ModelComparer : IEqualityComparer<BanditModel>
    {
        public static readonly ModelComparer Instance = new();

        public bool Equals(BanditModel? x, BanditModel? y) => x is not null && y is not null
            && x.Items.SequenceEqual(y.Items) && x.Means.SequenceEqual(y.Means) && x.Alphas.SequenceEqual(y.Alphas)
            && x.Betas.SequenceEqual(y.Betas) && x.RowMeans.SequenceEqual(y.RowMeans) && x.RowSds.SequenceEqual(y.RowSds)
            && x.Starts.SequenceEqual(y.Starts) && x.TiedStarts.SequenceEqual(y.TiedStarts)
            && (x.Shares ?? []).SequenceEqual(y.Shares ?? []) && (x.Shares is null) == (y.Shares is null);

        public int GetHashCode(BanditModel obj) => obj.Items.Length;
    }
}
