using MultiAgentRec.Agents;
using MultiAgentRec.Contracts;
using MultiAgentRec.Coordination;
using MultiAgentRec.Simulation;

namespace MultiAgentRec.UnitTests;

public sealed class BatchIndexProposerTests
{
    private const int Users = 6000, Candidates = 5;

    // Per segment (3, as TestWorlds.Bandits has): items 10–13 allocated with shares 1, 0.6, 0.25 and
    // 0.15 (two a user: a slate of 2), then 14 and 15 listed to fill.
    private static readonly int[] Section = [10, 11, 12, 13, 14, 15];
    private static readonly float[] SectionShares = [1, 0.6f, 0.25f, 0.15f, 0, 0];

    private static BanditModel Model(bool allocated)
    {
        const int segments = 3;
        var n = Section.Length;
        return new BanditModel(segments, Candidates,
            [.. Enumerable.Repeat(Section, segments).SelectMany(s => s)],
            [.. Enumerable.Range(0, segments * n).Select(i => (float)(n - i % n))],
            new float[segments * n], new float[segments * n],
            [0.1f, 0.1f, 0.1f], [1, 1, 1],
            [0, n, 2 * n, 3 * n],
            // Without an allocation every item of a segment ties: users get a random sample of them.
            allocated ? [n, 2 * n, 3 * n] : [0, n, 2 * n],
            allocated ? [.. Enumerable.Repeat(SectionShares, segments).SelectMany(s => s)] : [.. Enumerable.Repeat(float.NaN, segments * n)]);
    }

    private static (World World, SimulatedUser[] Users) World()
    {
        var world = new World(TestWorlds.Bandits(users: Users));
        return (world, Enumerable.Range(0, Users).Select(i => new SimulatedUser(world, i)).ToArray());
    }

    [Fact]
    public void Each_user_draws_the_allocated_items_with_their_shares()
    {
        var (world, users) = World();
        var output = new CandidateSet(Users, Candidates);
        new BatchIndexProposer(Model(allocated: true), world.Catalog.Count, seed: 3, streamKey: 4).Propose(7, users, output);

        var drawn = new Dictionary<int, int>();
        var expectedRow = BatchIndexProposer.RankRow(Candidates, world.Catalog.Count);
        for (var u = 0; u < Users; u++)
        {
            var items = output.ItemsOf(u).ToArray();
            // Shares sum to 2: item 10 (share 1) and exactly one of 11–13, in ranking order; then
            // the two allocated items not drawn, in ranking order; then the first fill item.
            Assert.Equal(10, items[0]);
            Assert.Contains(items[1], new[] { 11, 12, 13 });
            Assert.Equal(new[] { 11, 12, 13 }.Except([items[1]]), items[2..4]);
            Assert.Equal(14, items[4]);
            drawn[items[1]] = drawn.GetValueOrDefault(items[1]) + 1;
            Assert.Equal([5f, 4, 3, 2, 1], output.ScoresOf(u).ToArray());
            Assert.Equal((float)expectedRow.Mean, output.RowMean[u]);
            Assert.Equal((float)expectedRow.Sd, output.RowSd[u]);
        }

        // Each user's offset is an independent uniform, so over 6,000 users the count of an item drawn
        // with probability π is Binomial(6,000, π); it strays more than 5 sd from 6,000·π with
        // probability below 1e-6 (normal approximation, 6,000·π(1−π) ≥ 765).
        foreach (var (item, share) in new[] { (11, 0.6), (12, 0.25), (13, 0.15) })
        {
            var sd = Math.Sqrt(Users * share * (1 - share));
            Assert.InRange(drawn.GetValueOrDefault(item), Users * share - 5 * sd, Users * share + 5 * sd);
        }
    }

    [Fact]
    public void A_users_list_depends_on_neither_its_shard_nor_the_other_users()
    {
        var (world, users) = World();
        var proposer = new BatchIndexProposer(Model(allocated: true), world.Catalog.Count, seed: 3, streamKey: 4);
        var whole = new CandidateSet(Users, Candidates);
        proposer.Propose(7, users, whole);

        // The same users in two shards, the second one's users in reverse order.
        var split = Users / 3;
        var first = new CandidateSet(split, Candidates);
        var second = new CandidateSet(Users - split, Candidates);
        var reversed = users[split..].Reverse().ToArray();
        proposer.Propose(7, users[..split], first);
        proposer.Propose(7, reversed, second);

        for (var u = 0; u < split; u++) Assert.Equal(whole.ItemsOf(u).ToArray(), first.ItemsOf(u).ToArray());
        for (var r = 0; r < reversed.Length; r++)
            Assert.Equal(whole.ItemsOf(reversed[r].Index).ToArray(), second.ItemsOf(r).ToArray());
        // Another round draws anew.
        var next = new CandidateSet(Users, Candidates);
        proposer.Propose(8, users, next);
        Assert.Contains(Enumerable.Range(0, Users), u => !whole.ItemsOf(u).SequenceEqual(next.ItemsOf(u)));
    }

    [Fact]
    public void A_segment_without_an_allocation_is_served_as_by_the_greedy_proposer()
    {
        var (world, users) = World();
        var model = Model(allocated: false);
        var batch = new CandidateSet(Users, Candidates);
        var greedy = new CandidateSet(Users, Candidates);
        new BatchIndexProposer(model, world.Catalog.Count, seed: 3, streamKey: 4).Propose(0, users, batch);
        new EpsilonGreedyProposer(model, EpsilonSchedule.Greedy, world.Catalog.Count, seed: 3, streamKey: 4).Propose(0, users, greedy);

        Assert.Equal(greedy.Items, batch.Items);
        Assert.Equal(greedy.Scores, batch.Scores);
        Assert.Equal(greedy.RowMean, batch.RowMean);
    }

    [Fact]
    public void Rank_scores_standardise_as_a_full_catalog_row()
    {
        // 3, 2, 1 and 7 zeros: mean 0.6, mean square 1.4, sd √(1.4 − 0.36) = √1.04.
        var (mean, sd) = BatchIndexProposer.RankRow(3, 10);
        Assert.Equal(0.6, mean, 12);
        Assert.Equal(Math.Sqrt(1.04), sd, 12);
    }
}
