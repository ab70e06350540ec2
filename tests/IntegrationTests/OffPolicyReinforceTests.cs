using MultiAgentRec.Agents;
using MultiAgentRec.Contracts;
using MultiAgentRec.Coordination;
using MultiAgentRec.Simulation;
using MultiAgentRec.Training;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace MultiAgentRec.IntegrationTests;

/// <summary>
/// Off-policy REINFORCE learns from slates it did not choose: the agent is trained only on slates a
/// fixed uniform logger showed (per-slot propensities 1/(items − k), as the random arm logs them), and
/// judged by the simulator's truth, the exact expected click probability of the slate it would show.
/// </summary>
public sealed class OffPolicyReinforceTests(ITestOutputHelper output)
{
    private static string Scenario(int seed) => $$"""
        name: off-policy
        seed: {{seed}}
        slateSize: 3
        catalog: { items: 60, topics: 4, embeddingDim: 8 }
        users: { count: 400, segments: 3 }
        agents: [ { id: pg, kind: reinforce, hiddenSize: 32, embeddingSize: 16 } ]
        arms: [random]
        """;

    /// <summary>Mean over the users of the exact click probability of each user's top-k slate by the policy's logits.</summary>
    private static double ExpectedCtr(World world, SimulatedUser[] users, float[][] utilities, PolicySnapshot policy)
    {
        var scorer = new PolicyScorer(policy, world);
        var features = new float[PolicyFeatures.Size(world)];
        var logits = new float[scorer.PaddedItems];
        var slate = new int[world.SlateSize];
        double sum = 0;
        for (var u = 0; u < users.Length; u++)
        {
            PolicyFeatures.Write(users[u].Profile, users[u].Segment, features);
            scorer.Logits(features, logits);
            TopK.Select(logits.AsSpan(0, world.Catalog.Count), slate);
            sum += world.Choice.ExpectedClick(utilities[u], slate);
        }
        return sum / users.Length;
    }

    [Theory]
    [InlineData(21)]  // tuned on
    [InlineData(4)]   // not tuned on
    public void Reinforce_trained_only_on_a_uniform_loggers_slates_shows_far_better_slates_than_it_started_with(int seed)
    {
        var spec = TestScenarios.Parse(Scenario(seed));
        var world = new World(spec);
        var users = Enumerable.Range(0, spec.Users.Count).Select(i => new SimulatedUser(world, i)).ToArray();
        var utilities = users.Select(u => u.Utilities()).ToArray();
        int n = users.Length, k = spec.SlateSize, f = PolicyFeatures.Size(world), items = spec.Catalog.Items;

        // The oracle: each user's top-k by true utility.
        var best = new int[k];
        var oracle = users.Select((u, i) => { TopK.Select(utilities[i], best); return world.Choice.ExpectedClick(utilities[i], best); }).Average();

        // What a policy that knows only the user's segment can reach: per segment, the top-k items by
        // the segment's mean true utility. The agent's features carry the segment (one-hot), so this is learnable.
        var segmentOracle = 0.0;
        for (var s = 0; s < spec.Users.Segments; s++)
        {
            var members = Enumerable.Range(0, n).Where(u => users[u].Segment == s).ToArray();
            if (members.Length == 0) continue;
            var mean = new float[items];
            foreach (var u in members) for (var i = 0; i < items; i++) mean[i] += utilities[u][i] / members.Length;
            TopK.Select(mean, best);
            segmentOracle += members.Sum(u => world.Choice.ExpectedClick(utilities[u], best));
        }
        segmentOracle /= n;

        using var learner = new ReinforceLearner(world, spec.Agents[0], CPU);
        var start = ExpectedCtr(world, users, utilities, learner.Snapshot());
        double logger = 0;
        const int Rounds = 12;
        for (var round = 0; round < Rounds; round++)
        {
            var features = new float[n * f];
            var slates = new int[n * k];
            var propensities = new float[n * k];
            var rewards = new float[n * k];
            for (var u = 0; u < n; u++)
            {
                var rng = SimRandom.For(seed, 777, (ulong)u, (ulong)round);
                PolicyFeatures.Write(users[u].Profile, users[u].Segment, features.AsSpan(u * f, f));
                var slate = slates.AsSpan(u * k, k);
                SlateSampling.Uniform(items, ref rng, slate, propensities.AsSpan(u * k, k));
                logger += world.Choice.ExpectedClick(utilities[u], slate);
                var clicked = world.Choice.Choose(utilities[u], slate, rng.NextDouble());
                if (clicked >= 0) rewards[u * k + clicked] = 1;
            }
            learner.Add(new TrajectoryBatch(n, f, features, k, slates, propensities, rewards, round, 0));
            learner.Update(epochs: 2, minibatchSize: 256);
        }
        logger /= n * Rounds;
        var learned = ExpectedCtr(world, users, utilities, learner.Snapshot());
        output.WriteLine($"seed {seed}: start {start:F4}, uniform logger {logger:F4}, learned {learned:F4}, segment oracle {segmentOracle:F4}, oracle {oracle:F4}");

        // Margins. Every figure here is exact (the simulator's click probabilities, no sampling), so a
        // policy that learned nothing stays exactly at `start`; only the training data is random. Each
        // item is shown in 400 × 3 / 60 = 20 slots a round, 240 over the 12 rounds, ~80 per segment: a
        // segment's click rate on an item (~0.06) is estimated to ±sqrt(0.06 · 0.94 / 80) ≈ 0.027, less
        // than the gap between a segment's best items and its average item under this choice model, so
        // a learner that uses the logged clicks and propensities correctly ranks each segment's best
        // items on top, and reaches the segment oracle up to those estimation errors. We ask for half of
        // that way, from where it started and from the logger whose slates it learned from: a learner
        // that ignores the propensities or mixes up the slots drifts towards what the logger showed
        // and does not get there.
        Assert.True(learned >= start + 0.5 * (segmentOracle - start),
            $"learned {learned:F4} did not close half the gap from its start {start:F4} to the segment oracle {segmentOracle:F4}");
        Assert.True(learned >= logger + 0.5 * (segmentOracle - logger),
            $"learned {learned:F4} did not close half the gap from the logger {logger:F4} to the segment oracle {segmentOracle:F4}");
    }
}
