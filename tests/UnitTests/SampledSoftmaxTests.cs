using MultiAgentRec.Simulation;
using MultiAgentRec.Training;
using static TorchSharp.torch;

namespace MultiAgentRec.UnitTests;

/// <summary>The sampled softmax of the REINFORCE trainer: exact when every item is drawn, unbiased normaliser otherwise. Needs TorchSharp.</summary>
public sealed class SampledSoftmaxTests
{
    private static readonly float[] Logits = [0.3f, -1.2f, 2.0f, 0.7f, -0.1f, 1.1f, -0.6f, 0.2f];
    private static readonly long[] Slate = [2, 0];

    private static double ExactLogZ => Math.Log(Logits.Sum(z => Math.Exp(z)));

    /// <summary>Scores of one row (G = B = 1) with the items <paramref name="drawn"/> as the sample, or the exact log probabilities when null.</summary>
    private static PolicyScores Row(long[]? drawn)
    {
        var logits = tensor(Logits).view(1, 1, -1);
        var actions = tensor(Slate).view(1, 1, -1);
        if (drawn is null) return PolicyScores.Exact(nn.functional.log_softmax(logits, 2), actions);
        var d = tensor(drawn).view(1, -1);
        return PolicyScores.Sampled(logits.gather(2, actions), logits.index_select(2, d.flatten()), SampledSoftmax.SampledLogWeights(actions, d, Logits.Length));
    }

    [Fact]
    public void With_the_whole_catalog_the_normaliser_and_entropy_are_the_exact_softmax_ones()
    {
        using var scope = NewDisposeScope();
        var exactEntropy = -Logits.Sum(z => Math.Exp(z - ExactLogZ) * (z - ExactLogZ));
        // Drawing every item: the two slate items are dropped and each other stands for (8 − 2)/6 = 1
        // item, so the sampled path is exact.
        var sampled = Row([7, 6, 5, 4, 3, 2, 1, 0]);
        var logZ = SampledSoftmax.LogNormalizer(sampled);
        Assert.Equal(ExactLogZ, logZ.item<float>(), 1e-5);
        Assert.Equal(exactEntropy, SampledSoftmax.Entropy(sampled, logZ).item<float>(), 1e-5);
        // Log probabilities over the whole catalog (the trainer's exact path): normaliser 0, same entropy.
        var exact = Row(null);
        var zero = SampledSoftmax.LogNormalizer(exact);
        Assert.Equal(0, zero.item<float>());
        Assert.Equal(exactEntropy, SampledSoftmax.Entropy(exact, zero).item<float>(), 1e-5);
    }

    [Fact]
    public void The_sampled_normaliser_is_unbiased_over_every_sample_of_three_items()
    {
        // Every 3-subset of the 8 items is equally likely under a uniform draw without replacement, so
        // E[Ẑ] is the plain mean of Ẑ over the C(8,3) = 56 subsets; by hand it is Z = Σ e^z.
        using var scope = NewDisposeScope();
        var estimates = new List<double>();
        for (var a = 0; a < 8; a++)
            for (var b = a + 1; b < 8; b++)
                for (var c = b + 1; c < 8; c++)
                    estimates.Add(Math.Exp(SampledSoftmax.LogNormalizer(Row([a, b, c])).item<float>()));
        Assert.Equal(56, estimates.Count);
        var z = Math.Exp(ExactLogZ);
        Assert.Equal(z, estimates.Average(), 1e-4 * z);
        // And a sample is not the full sum: the estimator has variance, so it is not trivially exact.
        Assert.True(estimates.Max() - estimates.Min() > 0.1 * z);
    }

    [Fact]
    public void A_drawn_item_in_the_slate_is_not_counted_twice()
    {
        using var scope = NewDisposeScope();
        // Drawn {2, 5}: item 2 is in the slate, so only item 5 remains and stands for all 6 outside items.
        var logZ = SampledSoftmax.LogNormalizer(Row([2, 5])).item<float>();
        var expected = Math.Log(Math.Exp(Logits[2]) + Math.Exp(Logits[0]) + 6 * Math.Exp(Logits[5]));
        Assert.Equal(expected, logZ, 1e-5);
    }

    [Fact]
    public void Draws_are_distinct_and_uniform()
    {
        // 10 of 40 items, 4,000 times: each item's count is Binomial(4000, 1/4), mean 1,000, sd √750 ≈ 27.4;
        // 5 sd (137) is crossed by any of 40 items with probability below 40 × 6e-7.
        const int items = 40, size = 10, draws = 4000;
        var counts = new int[items];
        var output = new long[size];
        var scratch = new int[items];
        var rng = SimRandom.For(3, 1);
        for (var d = 0; d < draws; d++)
        {
            SampledSoftmax.Draw(items, ref rng, output, scratch);
            Assert.Equal(size, output.Distinct().Count());
            foreach (var item in output) counts[item]++;
        }
        var sd = Math.Sqrt(draws * 0.25 * 0.75);
        Assert.All(counts, c => Assert.InRange(c, draws * 0.25 - 5 * sd, draws * 0.25 + 5 * sd));
    }

    [Fact]
    public void The_exact_path_and_a_sample_of_every_item_give_the_same_loss_and_gradient()
    {
        // 2 members × 6 rows × 12 items, slates of 3: the REINFORCE loss through PolicyScores with the
        // whole catalog (exact log probabilities) and through the sampled path drawing all 12 items must agree.
        using var scope = NewDisposeScope();
        var rng = SimRandom.For(7, 1);
        const int g = 2, b = 6, n = 12, k = 3;
        var values = new float[g * b * n];
        for (var i = 0; i < values.Length; i++) values[i] = (float)(rng.NextDouble() * 4 - 2);
        var actions = new long[g * b * k];
        var propensities = new float[g * b * k];
        var rewards = new float[g * b * k];
        for (var r = 0; r < g * b; r++)
        {
            var order = Enumerable.Range(0, n).OrderBy(_ => rng.NextDouble()).Take(k).ToArray();
            for (var j = 0; j < k; j++) { actions[r * k + j] = order[j]; propensities[r * k + j] = (float)(0.05 + rng.NextDouble() * 0.5); }
            rewards[r * k + rng.NextInt(k)] = 1;
        }
        var a = tensor(actions).view(g, b, k);
        var batch = new StackedMinibatch(a, tensor(propensities).view(g, b, k), tensor(rewards).view(g, b, k),
            ones(g, b), Filled(b), Filled(10), Filled(0.01f), ones(g));
        Tensor Filled(float value) => tensor(Enumerable.Repeat(value, g).ToArray());
        var baseline = zeros(g, b, k);
        (float Loss, float[] Gradient) Run(bool sampled)
        {
            var logits = tensor(values).view(g, b, n).requires_grad_(true);
            var everyItem = tensor(Enumerable.Range(0, n).Select(i => (long)i).ToArray());
            var drawn = everyItem.unsqueeze(0).expand(g, n).contiguous();
            var scores = sampled
                ? PolicyScores.Sampled(logits.gather(2, a), logits.index_select(2, everyItem), SampledSoftmax.SampledLogWeights(a, drawn, n))
                : PolicyScores.Exact(nn.functional.log_softmax(logits, 2), a);
            var loss = new PlackettLuceReinforceLoss().Loss(scores, baseline, batch).sum();
            loss.backward();
            return (loss.item<float>(), logits.grad!.data<float>().ToArray());
        }
        var (exactLoss, exactGrad) = Run(sampled: false);
        var (sampledLoss, sampledGrad) = Run(sampled: true);
        Assert.Equal(exactLoss, sampledLoss, 1e-5);
        var worst = exactGrad.Zip(sampledGrad, (x, y) => Math.Abs(x - y)).Max();
        Assert.True(worst < 1e-6, $"gradients differ by {worst:G3}");
        Assert.Contains(exactGrad, v => Math.Abs(v) > 1e-4);
    }
}
