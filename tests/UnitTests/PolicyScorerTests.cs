using MultiAgentRec.Agents;
using MultiAgentRec.Simulation;
using MultiAgentRec.Training;
using static TorchSharp.torch;

namespace MultiAgentRec.UnitTests;

public sealed class PolicyScorerTests
{
    [Fact]
    public void Plain_scorer_computes_the_networks_logits()
    {
        using var torchScope = NewDisposeScope();
        var spec = TestWorlds.Spec("""
            name: scorer-test
            seed: 5
            catalog: { items: 37, topics: 4, embeddingDim: 8 }
            users: { count: 10, segments: 3 }
            agents: [ { id: pg, kind: reinforce, hiddenSize: 16, embeddingSize: 8 } ]
            """);
        var world = new World(spec);
        using var network = ReinforcePolicyNetwork.Create(world, spec.Agents[0]);
        // Move the parameters off their initial values (zero biases) so every term is exercised.
        var rng = new SimRandom(3);
        using (no_grad())
            foreach (var p in network.parameters())
            {
                var noise = new float[p.numel()];
                for (var i = 0; i < noise.Length; i++) noise[i] = (float)(0.1 * rng.NextGaussian());
                using var t = tensor(noise).reshape(p.shape);
                p.add_(t, TorchScalars.One);
            }
        var scorer = new PolicyScorer(network.Snapshot(1), world);
        var size = PolicyFeatures.Size(world);

        for (var u = 0; u < 10; u++)
        {
            var user = new SimulatedUser(world, u);
            var features = new float[size];
            PolicyFeatures.Write(user.Profile, user.Segment, features);
            var padded = new float[scorer.PaddedItems];
            scorer.Logits(features, padded);
            var plain = padded[..world.Catalog.Count];
            using var x = tensor(features).reshape(1, size);
            using var logits = network.forward(x);
            var expected = logits.data<float>().ToArray();

            // Float sums of ~16 and ~8 terms of size ~1 in a different order: a few ulps of the
            // largest partial sums (|logit| < 10 here), far below 1e-4.
            for (var i = 0; i < plain.Length; i++) Assert.Equal(expected[i], plain[i], 1e-4);
        }
    }
}
