using MultiAgentRec.Coordination;
using MultiAgentRec.Agents;
using MultiAgentRec.Contracts;
using MultiAgentRec.Simulation;
using MultiAgentRec.Training;
using static TorchSharp.torch;

namespace MultiAgentRec.UnitTests;

/// <summary>The batched trainer: stacked updates, checkpoints, and the Plackett-Luce conditionals of its loss. Needs TorchSharp.</summary>
public sealed class ReinforceLearnerGroupTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mar-group-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    // Three agents of one architecture with different hyper-parameters, so the batched step must keep
    // each member's own learning rate, weight cap, entropy weight and top-K correction.
    private static readonly SimulationSpec Spec = GroupSpec(sampledItems: 0);

    // sampledItems 0 trains on the exact softmax over the 30 items; 8 on a sampled softmax (SampledSoftmax).
    private static SimulationSpec GroupSpec(int sampledItems) => TestWorlds.Spec("""
        name: group-test
        seed: 5
        slateSize: 3
        catalog: { items: 30, topics: 3, embeddingDim: 6 }
        users: { count: 50, segments: 2 }
        agents:
          - { id: a, kind: reinforce, hiddenSize: 12, embeddingSize: 5, learningRate: 0.01, sampledItems: SAMPLED }
          - { id: b, kind: reinforce, hiddenSize: 12, embeddingSize: 5, learningRate: 0.03, importanceCap: 3, entropyWeight: 0.01, sampledItems: SAMPLED }
          - { id: c, kind: reinforce, hiddenSize: 12, embeddingSize: 5, learningRate: 0.005, entropyWeight: 0, topKCorrection: 0, sampledItems: SAMPLED }
        arms: [ensemble]
        """.Replace("SAMPLED", sampledItems.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>Random experience of <paramref name="rows"/> rows: features, uniform slates with their conditional propensities, one click per row at most.</summary>
    private static TrajectoryBatch Experience(World world, int rows, ulong stream, int round)
    {
        var rng = SimRandom.For(99, stream, (ulong)round);
        int f = PolicyFeatures.Size(world), k = world.SlateSize, items = world.Catalog.Count;
        var features = new float[rows * f];
        for (var i = 0; i < features.Length; i++) features[i] = (float)(rng.NextDouble() * 2 - 1);
        var actions = new int[rows * k];
        var propensities = new float[rows * k];
        var rewards = new float[rows * k];
        for (var r = 0; r < rows; r++)
        {
            SlateSampling.Uniform(items, ref rng, actions.AsSpan(r * k, k), propensities.AsSpan(r * k, k));
            var clicked = rng.NextInt(k + 2) - 2;
            if (clicked >= 0) rewards[r * k + clicked] = 1;
        }
        return new TrajectoryBatch(rows, f, features, k, actions, propensities, rewards, round, 0);
    }

    private static float[] Flatten(PolicySnapshot s) => [.. s.Tensors.SelectMany(t => t.Values)];

    [Theory]
    [InlineData(0)]
    [InlineData(8)]
    public void Batched_update_equals_per_agent_updates(int sampledItems)
    {
        var spec = GroupSpec(sampledItems);
        var world = new World(spec);
        // Different row counts: member c has fewer minibatches per epoch, so it sits out (masked, no
        // Adam step) while the others go on, and its last minibatch is padded.
        int[] rows = [300, 300, 170];
        using var group = new ReinforceLearnerGroup(world, spec.Agents, CPU);
        var alone = spec.Agents.Select(a => new ReinforceLearner(world, a, CPU)).ToArray();
        try
        {
            for (var round = 0; round < 2; round++)
            {
                for (var m = 0; m < 3; m++)
                {
                    var batch = Experience(world, rows[m], (ulong)m, round);
                    group.Add(m, batch);
                    alone[m].Add(batch);
                }
                var batched = group.Update(epochs: 2, minibatchSize: 128);
                for (var m = 0; m < 3; m++)
                {
                    var (steps, samples, loss) = alone[m].Update(epochs: 2, minibatchSize: 128);
                    Assert.Equal(steps, batched[m].Steps);
                    Assert.Equal(samples, batched[m].Samples);
                    Assert.Equal(loss, batched[m].LastLoss, 1e-5);
                    Assert.Equal(alone[m].Version, group.Version(m));
                    var expected = Flatten(alone[m].Snapshot());
                    var actual = Flatten(group.Snapshot(m));
                    // The same float operations per member, except that bmm sums over a stack: 1e-5
                    // is far above float rounding of these sums (~1e-7 relative) and far below any
                    // update's size (learning rate × a unit Adam step ≥ 5e-3).
                    var worst = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
                    Assert.True(worst <= 1e-5, $"member {m} round {round}: parameters differ by {worst:G3}");
                    using var initial = ReinforcePolicyNetwork.Create(world, spec.Agents[m]);
                    Assert.True(expected.Zip(Flatten(initial.Snapshot(0))).Any(x => x.First != x.Second), "no update happened");
                }
            }
        }
        finally
        {
            foreach (var l in alone) l.Dispose();
        }
    }

    [Fact]
    public async Task Experience_added_while_a_background_update_runs_goes_to_the_next_update()
    {
        var world = new World(Spec);
        int[] first = [300, 200, 170], second = [120, 250, 90];
        using var overlapped = new ReinforceLearnerGroup(world, Spec.Agents, CPU);
        using var sequential = new ReinforceLearnerGroup(world, Spec.Agents, CPU);
        for (var m = 0; m < 3; m++) overlapped.Add(m, Experience(world, first[m], (ulong)m, 0));

        // trainer.overlap: the update takes round 0's experience when it starts; round 1's arrives while it runs.
        var running = GroupUpdates.Start([overlapped], epochs: 2, minibatchSize: 128);
        for (var m = 0; m < 3; m++)
        {
            Assert.Equal(0, overlapped.PendingRows(m));
            overlapped.Add(m, Experience(world, second[m], (ulong)m, 1));
        }
        var done = (await running).Single();

        Assert.Same(overlapped, done.Group);
        Assert.Equal(first, done.Members.Select(u => u.Samples));
        Assert.Equal(second, Enumerable.Range(0, 3).Select(overlapped.PendingRows));
        var next = GroupUpdates.Run([overlapped], epochs: 2, minibatchSize: 128).Single();
        Assert.Equal(second, next.Members.Select(u => u.Samples));

        // The same two updates one after the other: the overlap changed when experience arrived, not what
        // each update learned from. Same float operations, so 1e-5 as in the batched test above.
        for (var m = 0; m < 3; m++) sequential.Add(m, Experience(world, first[m], (ulong)m, 0));
        sequential.Update(2, 128);
        for (var m = 0; m < 3; m++) sequential.Add(m, Experience(world, second[m], (ulong)m, 1));
        sequential.Update(2, 128);
        for (var m = 0; m < 3; m++)
        {
            Assert.Equal(2, overlapped.Version(m));
            var gap = Flatten(sequential.Snapshot(m)).Zip(Flatten(overlapped.Snapshot(m)), (e, a) => Math.Abs(e - a)).Max();
            Assert.True(gap <= 1e-5, $"member {m}: overlapped and sequential updates differ by {gap:G3}");
        }
    }

    [Fact]
    public void A_learner_resumed_from_its_checkpoint_continues_exactly_where_it_stopped()
    {
        var world = new World(Spec);
        var path = Path.Combine(_dir, "ensemble", "b.ckpt");
        var agent = Spec.Agents[1];
        using var original = new ReinforceLearner(world, agent, CPU);
        original.Add(Experience(world, 200, 1, 0));
        original.Update(2, 64);
        original.SaveCheckpoint(path);
        original.Add(Experience(world, 200, 1, 1));
        original.Update(2, 64);

        using var resumed = new ReinforceLearner(world, agent, CPU);
        resumed.LoadCheckpoint(path);
        Assert.Equal(1, resumed.Version);
        resumed.Add(Experience(world, 200, 1, 1));
        resumed.Update(2, 64);
        using var restarted = new ReinforceLearner(world, agent, CPU);
        restarted.Add(Experience(world, 200, 1, 1));
        restarted.Update(2, 64);

        // Parameters, Adam moments, step count and version all came back, so the second update is the
        // same float operations on the same values. Torch's CPU kernels may still round a sum
        // differently from one call to the next (vectorised loops depend on memory alignment): ~1e-7
        // on these values, hence 1e-5, the batched test's bound. A restart without the checkpoint
        // (fresh parameters and Adam state) lands far away from it.
        Assert.Equal(original.Version, resumed.Version);
        var expected = Flatten(original.Snapshot());
        var resumedGap = expected.Zip(Flatten(resumed.Snapshot()), (e, a) => Math.Abs(e - a)).Max();
        var restartGap = expected.Zip(Flatten(restarted.Snapshot()), (e, a) => Math.Abs(e - a)).Max();
        Assert.True(resumedGap <= 1e-5, $"resumed learner differs by {resumedGap:G3}");
        Assert.True(restartGap > 1e-3, $"a fresh learner is only {restartGap:G3} away: the test cannot tell a resume from a restart");
    }

    [Fact]
    public void A_checkpoint_of_another_shape_is_refused_with_the_file_named()
    {
        var world = new World(Spec);
        var path = Path.Combine(_dir, "a.ckpt");
        using (var learner = new ReinforceLearner(world, Spec.Agents[0], CPU)) learner.SaveCheckpoint(path);
        var bigger = Spec.Agents[0] with { Parameters = new(Spec.Agents[0].Parameters) { ["hiddenSize"] = 13 } };
        using var other = new ReinforceLearner(world, bigger, CPU);
        var e = Assert.Throws<InvalidDataException>(() => other.LoadCheckpoint(path));
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void Conditional_log_probabilities_are_the_softmax_over_the_items_not_yet_drawn()
    {
        float[] logits = [0.3f, -1.2f, 2.0f, 0.7f, -0.1f];
        long[] slate = [2, 0, 4];
        float[] actual;
        using (NewDisposeScope())
        {
            var logp = nn.functional.log_softmax(tensor(logits).reshape(1, 5), 1);
            actual = PlackettLuceReinforceLoss.ConditionalLogProbabilities(logp, tensor(slate).reshape(1, 3)).data<float>().ToArray();
        }
        var taken = new HashSet<long>();
        for (var k = 0; k < slate.Length; k++)
        {
            // By hand: exp(z_a) / Σ over the items not drawn in earlier slots.
            var rest = Enumerable.Range(0, logits.Length).Where(i => !taken.Contains(i)).Sum(i => Math.Exp(logits[i]));
            var expected = logits[slate[k]] - Math.Log(rest);
            Assert.Equal(expected, actual[k], 1e-5);
            taken.Add(slate[k]);
        }
    }
}
