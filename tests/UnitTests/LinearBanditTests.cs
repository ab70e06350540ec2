using MultiAgentRec.Agents;
using MultiAgentRec.Contracts;
using MultiAgentRec.Simulation;

namespace MultiAgentRec.UnitTests;

public sealed class LinearBanditTests
{
    private static AgentSpec Agent(string kind, params (string Key, double Value)[] parameters) =>
        new("a", kind, parameters.ToDictionary(p => p.Key, p => p.Value));

    /// <summary>One round's impressions of one shard: one slot per row.</summary>
    private static TrajectoryBatch Batch(int round, int shard, int d, double[][] contexts, int[] items, double[] rewards) => new(
        contexts.Length, d, contexts.SelectMany(x => x.Select(v => (float)v)).ToArray(), 1, items,
        Enumerable.Repeat(1f, items.Length).ToArray(), rewards.Select(r => (float)r).ToArray(), round, shard);

    /// <summary>Random contexts shaped like the product's: a Gaussian profile, then a one-hot segment.</summary>
    private static double[][] Contexts(int count, int profileDim, int segments, int seed)
    {
        var rng = new SimRandom((ulong)seed);
        return Enumerable.Range(0, count).Select(_ =>
        {
            var x = new double[profileDim + segments];
            // Float-representable values, so the float feature rows and the double references agree exactly.
            for (var j = 0; j < profileDim; j++) x[j] = (float)rng.NextGaussian();
            x[profileDim + rng.NextInt(segments)] = 1;
            return x;
        }).ToArray();
    }

    [Fact]
    public void Sherman_Morrison_inverse_matches_a_direct_inverse_after_thousands_of_updates()
    {
        const int d = 9, updates = 5000;
        const double lambda = 1;
        var contexts = Contexts(updates, 6, 3, seed: 5);
        var inverse = new double[d * d];
        var direct = new double[d * d];
        for (var i = 0; i < d; i++) (inverse[i * d + i], direct[i * d + i]) = (1 / lambda, lambda);
        var scratch = new double[d];
        foreach (var x in contexts)
        {
            ShermanMorrison.Update(inverse, x, scratch);
            for (var i = 0; i < d; i++)
                for (var j = 0; j < d; j++) direct[i * d + j] += x[i] * x[j];
        }

        // Each update makes relative rounding errors of order d·ε (ε = 1.1e-16) and these add up
        // over the updates: 5000 · 9 · 1.1e-16 ≈ 5e-12, times the condition number of A (a few
        // here: Gaussian profiles plus one-hot segments, ~1700 rows each) → ~1e-11. The product
        // A·A⁻¹ must be the identity to 1e-9, a hundred times that bound; a wrong update rule
        // (e.g. a sign or a missing 1 + xᵀA⁻¹x) misses it by orders of magnitude.
        for (var i = 0; i < d; i++)
            for (var j = 0; j < d; j++)
            {
                double sum = 0;
                for (var p = 0; p < d; p++) sum += direct[i * d + p] * inverse[p * d + j];
                Assert.Equal(i == j ? 1 : 0, sum, 1e-9);
            }
        // And entry by entry against an inverse computed directly (Cholesky), relative to its size.
        var reference = SymmetricMatrix.InvertPositiveDefinite(direct, d);
        var scale = reference.Max(Math.Abs);
        for (var i = 0; i < d * d; i++) Assert.Equal(reference[i], inverse[i], scale * 1e-9);
        // The update keeps the inverse exactly symmetric.
        for (var i = 0; i < d; i++)
            for (var j = 0; j < d; j++) Assert.Equal(inverse[i * d + j], inverse[j * d + i]);
    }

    [Fact]
    public void LinUCB_index_matches_a_hand_computation_on_a_two_dimensional_example()
    {
        // One item, context x = (profile, segment one-hot) with one profile entry and one segment.
        // Impressions: x₁ = (1, 1) clicked, x₂ = (2, 1) not; λ = 1.
        // A = I + x₁x₁ᵀ + x₂x₂ᵀ = [[6, 3], [3, 3]], det 9, A⁻¹ = [[1/3, −1/3], [−1/3, 2/3]];
        // b = x₁ = (1, 1), θ = A⁻¹b = (0, 1/3).
        // For x = (1, 1): mean xᵀθ = 1/3, s = xᵀA⁻¹x = 1/3 − 2/3 + 2/3 = 1/3,
        // index (α = 0.5) = 1/3 + 0.5·√(1/3) = 0.622008...
        var statistics = new LinearBanditStatistics(items: 1, profileDim: 1, segments: 1, hybrid: false, lambda: 1, embeddings: [1f]);
        var policy = new LinearBanditPolicy(statistics, Agent(Names.LinUcb), shards: 1);
        policy.Observe(Batch(0, 0, 2, [[1, 1], [2, 1]], [0, 0], [1, 0]));
        var model = policy.ModelFor(1);

        Assert.Equal([1 / 3f, -1 / 3f, 2 / 3f], model.Covariance, (a, b) => Math.Abs(a - b) < 1e-6);
        Assert.Equal([0f, 1 / 3f], model.Theta, (a, b) => Math.Abs(a - b) < 1e-6);
        float[] x = [1, 1];
        var mean = LinearBanditProposer.Mean(model, 0, x, [1f]);
        var variance = LinearBanditProposer.Variance(model, 0, x, [1f], []);
        Assert.Equal(1 / 3.0, mean, 1e-6);
        Assert.Equal(1 / 3.0, variance, 1e-6);
        Assert.Equal(0.622008, mean + 0.5 * Math.Sqrt(variance), 1e-5);
        // The segment's mean context is (1.5, 1): s = 1.5²/3 − 2·1.5/3 + 2/3 = 0.4167, width √s.
        Assert.Equal(Math.Sqrt(0.75 - 1 + 2 / 3.0), model.CentroidWidths[0], 1e-6);
    }

    [Fact]
    public void An_impression_in_a_less_examined_slot_weighs_its_exposure_in_the_ridge_regression()
    {
        // The two-dimensional example above with item 0's unclicked impression in slot 1 of a slate
        // whose exposures are κ = (1, ½): x₁ = (1, 1) alone in slot 0, clicked; x₂ = (2, 1) with item 1
        // in slot 0 and item 0 in slot 1, no click. Weighted least squares of r/κ on x with weights κ:
        // A₀ = I + x₁x₁ᵀ + ½x₂x₂ᵀ = [[4, 2], [2, 2.5]], det 6, A₀⁻¹ = [[2.5, −2], [−2, 4]]/6;
        // b₀ = Σ r·x = x₁ = (1, 1); θ₀ = A₀⁻¹b₀ = (0.5, 2)/6 (unweighted: (0, 1/3), as above).
        var statistics = new LinearBanditStatistics(items: 2, profileDim: 1, segments: 1, hybrid: false, lambda: 1, embeddings: [1f, 1f]);
        statistics.Add(new TrajectoryBatch(1, 2, [1f, 1f], 1, [0], [1f], [1f], 0, 0), [1, 0.5]);
        statistics.Add(new TrajectoryBatch(1, 2, [2f, 1f], 2, [1, 0], [1f, 1f], [0f, 0f], 0, 0), [1, 0.5]);

        double[] inverse = [.. statistics.Inverse.Take(4)];
        Assert.Equal([2.5 / 6, -2 / 6.0, -2 / 6.0, 4 / 6.0], inverse, (a, b) => Math.Abs(a - b) < 1e-12);
        Assert.Equal([1.0, 1.0], statistics.RewardSums.Take(2));
        Assert.Equal(0.5 / 6, inverse[0] + inverse[1], 1e-12);
        Assert.Equal(2 / 6.0, inverse[2] + inverse[3], 1e-12);
        // Item 1, in slot 0, counts fully: A₁ = I + x₂x₂ᵀ = [[5, 2], [2, 2]], det 6, A₁⁻¹ = [[2, −2], [−2, 5]]/6.
        Assert.Equal([2 / 6.0, -2 / 6.0, -2 / 6.0, 5 / 6.0], statistics.Inverse.Skip(4).Take(4), (a, b) => Math.Abs(a - b) < 1e-12);
    }

    [Fact]
    public void Hybrid_LinUCB_equals_one_ridge_regression_over_shared_and_per_item_features()
    {
        // Li et al.'s hybrid model is ridge regression on φ = [z, 0, …, x (in item a's block), …, 0]
        // with A = λI + Σφφᵀ; its β, θ_a and s are the blocks of A⁻¹Σrφ and φᵀA⁻¹φ. Solve that
        // joint system directly and compare.
        const int items = 3, profileDim = 2, segments = 2, d = profileDim + segments, k = profileDim;
        const double lambda = 0.5;
        float[] embeddings = [0.5f, -1f, 1.5f, 0.25f, -0.75f, 2f];
        var contexts = Contexts(40, profileDim, segments, seed: 9);
        var rng = new SimRandom(3);
        var actions = contexts.Select(_ => rng.NextInt(items)).ToArray();
        var rewards = contexts.Select(_ => rng.NextDouble() < 0.3 ? 1.0 : 0).ToArray();
        var statistics = new LinearBanditStatistics(items, profileDim, segments, hybrid: true, lambda, embeddings);
        var policy = new LinearBanditPolicy(statistics, Agent(Names.LinUcbHybrid, ("lambda", lambda)), shards: 2);
        policy.Observe(Batch(0, 1, d, contexts[20..], actions[20..], rewards[20..]));
        policy.Observe(Batch(0, 0, d, contexts[..20], actions[..20], rewards[..20]));
        var model = policy.ModelFor(1);

        var size = k + items * d;
        double[] Phi(double[] x, int item)
        {
            var phi = new double[size];
            for (var j = 0; j < k; j++) phi[j] = x[j] * embeddings[item * k + j];
            for (var j = 0; j < d; j++) phi[k + item * d + j] = x[j];
            return phi;
        }
        var a = new double[size * size];
        var b = new double[size];
        for (var i = 0; i < size; i++) a[i * size + i] = lambda;
        for (var t = 0; t < contexts.Length; t++)
        {
            var phi = Phi(contexts[t], actions[t]);
            for (var i = 0; i < size; i++)
            {
                b[i] += rewards[t] * phi[i];
                for (var j = 0; j < size; j++) a[i * size + j] += phi[i] * phi[j];
            }
        }
        var inverse = SymmetricMatrix.InvertPositiveDefinite(a, size);
        var solution = Enumerable.Range(0, size).Select(i => Enumerable.Range(0, size).Sum(j => inverse[i * size + j] * b[j])).ToArray();

        // Floats in the model: agreement to 1e-5 of values of order 1.
        for (var j = 0; j < k; j++) Assert.Equal(solution[j], model.Beta[j], 1e-5);
        for (var i = 0; i < items * d; i++) Assert.Equal(solution[k + i], model.Theta[i], 1e-5);
        var query = Contexts(5, profileDim, segments, seed: 21);
        var scratch = new float[k];
        foreach (var x in query)
            for (var item = 0; item < items; item++)
            {
                var phi = Phi(x, item);
                var s = Enumerable.Range(0, size).Sum(i => phi[i] * Enumerable.Range(0, size).Sum(j => inverse[i * size + j] * phi[j]));
                var mean = phi.Select((v, i) => v * solution[i]).Sum();
                var xf = x.Select(v => (float)v).ToArray();
                var e = embeddings.AsSpan(item * k, k);
                Assert.Equal(mean, LinearBanditProposer.Mean(model, item, xf, e), 1e-5);
                Assert.Equal(s, LinearBanditProposer.Variance(model, item, xf, e, scratch), 1e-5);
            }
    }

    [Fact]
    public void Linear_Thompson_posterior_mean_and_covariance_are_the_ridge_closed_form()
    {
        // Posterior of θ_a under the prior N(0, v²/λ·I) and Gaussian noise of variance v²:
        // mean (λI + XᵀX)⁻¹Xᵀr and covariance v²(λI + XᵀX)⁻¹ (the draws scale A⁻¹ by v²).
        const int items = 2, profileDim = 3, segments = 2, d = profileDim + segments;
        const double lambda = 2;
        var contexts = Contexts(60, profileDim, segments, seed: 13);
        var actions = contexts.Select((_, i) => i % items).ToArray();
        var rewards = contexts.Select((x, i) => x[0] > 0.3 ? 1.0 : 0).ToArray();
        var statistics = new LinearBanditStatistics(items, profileDim, segments, hybrid: false, lambda, new float[items * profileDim]);
        var policy = new LinearBanditPolicy(statistics, Agent(Names.LinearThompson, ("lambda", lambda)), shards: 1);
        policy.Observe(Batch(0, 0, d, contexts, actions, rewards));
        var model = policy.ModelFor(1);

        for (var item = 0; item < items; item++)
        {
            var a = new double[d * d];
            var b = new double[d];
            for (var i = 0; i < d; i++) a[i * d + i] = lambda;
            for (var t = 0; t < contexts.Length; t++)
            {
                if (actions[t] != item) continue;
                var x = contexts[t];
                for (var i = 0; i < d; i++)
                {
                    b[i] += rewards[t] * x[i];
                    for (var j = 0; j < d; j++) a[i * d + j] += x[i] * x[j];
                }
            }
            var covariance = SymmetricMatrix.InvertPositiveDefinite(a, d);
            var packed = new float[SymmetricMatrix.PackedSize(d)];
            SymmetricMatrix.Pack(covariance, d, packed);
            Assert.Equal(packed, model.Covariance.AsSpan(item * packed.Length, packed.Length).ToArray(), (p, q) => Math.Abs(p - q) < 1e-6);
            for (var i = 0; i < d; i++)
            {
                var mean = Enumerable.Range(0, d).Sum(j => covariance[i * d + j] * b[j]);
                Assert.Equal(mean, model.Theta[item * d + i], 1e-5);
            }
        }
    }

    [Fact]
    public void The_model_does_not_depend_on_the_order_shards_report_in()
    {
        var contexts = Contexts(60, 3, 2, seed: 17);
        var actions = contexts.Select((_, i) => i % 4).ToArray();
        var rewards = contexts.Select((_, i) => i % 3 == 0 ? 1.0 : 0).ToArray();
        var batches = Enumerable.Range(0, 3).Select(s => Batch(0, s, 5, contexts[(s * 20)..(s * 20 + 20)], actions[(s * 20)..(s * 20 + 20)], rewards[(s * 20)..(s * 20 + 20)])).ToArray();
        LinearBanditModel Build(IEnumerable<TrajectoryBatch> order)
        {
            var policy = new LinearBanditPolicy(new LinearBanditStatistics(4, 3, 2, hybrid: true, 1, new float[12].Select((_, i) => i * 0.1f).ToArray()), Agent(Names.LinUcbHybrid), shards: 3);
            foreach (var b in order) policy.Observe(b);
            return policy.ModelFor(1);
        }

        var forward = Build(batches);
        var backward = Build(batches.Reverse());
        Assert.Equal(forward.Theta, backward.Theta);
        Assert.Equal(forward.Covariance, backward.Covariance);
        Assert.Equal(forward.Beta, backward.Beta);
        Assert.Equal(forward.CentroidWidths, backward.CentroidWidths);
    }

    [Fact]
    public void A_round_with_feedback_missing_from_a_shard_is_an_error_not_a_silently_different_model()
    {
        var policy = new LinearBanditPolicy(new LinearBanditStatistics(2, 2, 1, hybrid: false, 1, new float[4]), Agent(Names.LinUcb), shards: 2);
        policy.Observe(Batch(0, 0, 3, [[1, 0, 1]], [1], [1]));

        var error = Assert.Throws<InvalidOperationException>(() => policy.ModelFor(1));
        Assert.Contains("1 of 2 shards for round 0", error.Message, StringComparison.Ordinal);
        // A fresh agent asked for a later round (reactivated without its state) fails the same way.
        var fresh = new LinearBanditPolicy(new LinearBanditStatistics(2, 2, 1, hybrid: false, 1, new float[4]), Agent(Names.LinUcb), shards: 2);
        Assert.Throws<InvalidOperationException>(() => fresh.ModelFor(3));
    }

    [Fact]
    public void A_restored_state_builds_the_same_models_as_the_policy_it_came_from()
    {
        var contexts = Contexts(40, 3, 2, seed: 23);
        var actions = contexts.Select((_, i) => i % 4).ToArray();
        var rewards = contexts.Select((_, i) => i % 5 == 0 ? 1.0 : 0).ToArray();
        LinearBanditPolicy Fresh() => new(new LinearBanditStatistics(4, 3, 2, hybrid: true, 1, new float[12].Select((_, i) => 0.2f * i - 1).ToArray()), Agent(Names.LinUcbHybrid), shards: 1);
        var original = Fresh();
        original.Observe(Batch(0, 0, 5, contexts[..20], actions[..20], rewards[..20]));
        original.ModelFor(1);
        // Round 1's feedback is received but not folded yet when the state is stored.
        original.Observe(Batch(1, 0, 5, contexts[20..], actions[20..], rewards[20..]));
        var restored = Fresh();
        restored.Restore(original.Export());

        var expected = original.ModelFor(2);
        var actual = restored.ModelFor(2);
        Assert.Equal(expected.Theta, actual.Theta);
        Assert.Equal(expected.Covariance, actual.Covariance);
        Assert.Equal(expected.Cross, actual.Cross);
        Assert.Equal(expected.Beta, actual.Beta);
        Assert.Equal(expected.SharedCovariance, actual.SharedCovariance);
        Assert.Equal(expected.CentroidWidths, actual.CentroidWidths);
    }

    /// <summary>A two-item world (so both items are always candidates) and a policy that saw one round of its own proposals' clicks.</summary>
    private static (World World, LinearBanditModel Model, SimulatedUser User) TwoItems(string kind)
    {
        var spec = TestWorlds.Spec($"name: two\nseed: 4\nslateSize: 1\ncatalog: {{ items: 2, embeddingDim: 3 }}\nusers: {{ count: 50, segments: 2 }}\nagents: [ {{ id: a, kind: {kind} }} ]\narms: [random]\n");
        var world = new World(spec);
        var policy = new LinearBanditPolicy(world, spec.Agents[0], shards: 1);
        var users = Enumerable.Range(0, 50).Select(i => new SimulatedUser(world, i)).ToArray();
        var d = Agents.PolicyFeatures.Size(world);
        var features = new float[50 * d];
        for (var u = 0; u < 50; u++) Agents.PolicyFeatures.Write(users[u].Profile, users[u].Segment, features.AsSpan(u * d, d));
        policy.Observe(new TrajectoryBatch(50, d, features, 1, users.Select(u => u.Index % 2).ToArray(), new float[50], users.Select(u => u.Index % 3 == 0 ? 1f : 0).ToArray(), 0, 0));
        return (world, policy.ModelFor(1), users[0]);
    }

    [Fact]
    public void Linear_Thompson_draws_have_the_posterior_mean_and_variance_of_the_projected_posterior()
    {
        var (world, model, user) = TwoItems(Names.LinearThompson);
        var proposer = new LinearBanditProposer(model, world, world.Spec.Agents[0], streamKey: 9);
        var x = new float[model.Features];
        Agents.PolicyFeatures.Write(user.Profile, user.Segment, x);
        const double v = 0.25;
        var mean = LinearBanditProposer.Mean(model, 0, x, world.Catalog.Embedding(0));
        var variance = v * v * LinearBanditProposer.Variance(model, 0, x, world.Catalog.Embedding(0), []);

        const int rounds = 4000;
        var draws = new List<double>();
        var set = new Coordination.CandidateSet(1, 2);
        for (var round = 0; round < rounds; round++)
        {
            proposer.Propose(round, [user], set);
            var items = set.ItemsOf(0);
            draws.Add(set.ScoresOf(0)[items.IndexOf(0)]);
        }

        // Each round's draw is N(μ, v²s) for the projection μ = xᵀθ̂, s = xᵀA⁻¹x. The sample mean
        // strays from μ by more than 4 standard errors √(v²s/R) once in ~16,000 runs; the sample
        // variance's standard error is v²s·√(2/(R−1)) (2.2 % here), so 4 of them allow 9 %.
        var sampleMean = draws.Average();
        var sampleVariance = draws.Sum(d => (d - sampleMean) * (d - sampleMean)) / (rounds - 1);
        Assert.Equal(mean, sampleMean, 4 * Math.Sqrt(variance / rounds));
        Assert.Equal(variance, sampleVariance, 4 * variance * Math.Sqrt(2.0 / (rounds - 1)));
        Assert.True(variance > 1e-4, $"a posterior this narrow ({variance}) would not test the scale");
    }

    [Fact]
    public void LinUCB_candidates_are_scored_with_the_upper_confidence_bound()
    {
        var (world, model, user) = TwoItems(Names.LinUcb);
        var proposer = new LinearBanditProposer(model, world, world.Spec.Agents[0], streamKey: 9);
        var x = new float[model.Features];
        Agents.PolicyFeatures.Write(user.Profile, user.Segment, x);
        var set = new Coordination.CandidateSet(1, 2);
        proposer.Propose(0, [user], set);

        var expected = new[] { 0, 1 }.Select(a => LinearBanditProposer.Mean(model, a, x, world.Catalog.Embedding(a))
            + 0.5 * Math.Sqrt(LinearBanditProposer.Variance(model, a, x, world.Catalog.Embedding(a), []))).ToArray();
        var items = set.ItemsOf(0).ToArray();
        var scores = set.ScoresOf(0).ToArray();
        Assert.Equal(2, items.Length);
        Assert.True(scores[0] >= scores[1]);
        for (var j = 0; j < 2; j++) Assert.Equal(expected[items[j]], scores[j], 1e-5);
    }
}
