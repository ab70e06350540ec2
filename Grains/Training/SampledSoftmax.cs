using MultiAgentRec.Simulation;
using static TorchSharp.torch;

namespace MultiAgentRec.Training;

/// <summary>
/// The softmax of a policy over a catalog of N items, estimated from the row's logged slate A (K
/// items, always scored) and S items drawn uniformly without replacement from the whole catalog,
/// shared by the rows of a minibatch step. A drawn item that is in the row's slate is dropped (it is
/// already counted); the S_b that remain are a uniform subset of the N − K items outside the slate,
/// so each stands for (N − K) / S_b of them and
///   Ẑ = Σ_{a∈A} e^{z_a} + (N − K)/S_b · Σ_{j drawn, j∉A} e^{z_j}
/// has expectation exactly Z = Σ_i e^{z_i} (given S_b, every outside item is drawn with probability
/// S_b/(N − K)). log π(a|s) = z_a − log Ẑ is biased (log is concave: E[log Ẑ] ≤ log Z, by about
/// Var(Ẑ)/(2Z²), which shrinks as 1/S) and so is its gradient; the bias is largest when a few items
/// outside the slate hold most of the mass, which the slate's own items (always scored exactly) and
/// the logger's habit of showing the policy's likely items keep rare. The entropy bonus is estimated
/// from the same sample: H = −Σ_i π_i ln π_i, with each drawn item's term weighted as Ẑ's.
/// Cost per row: K + S item scores instead of N, so training no longer grows with the catalog.
/// </summary>
public static class SampledSoftmax
{
    /// <summary>log Ẑ [G, B]: the log of the estimated normaliser of each row's softmax (0 for exact log probabilities).</summary>
    public static Tensor LogNormalizer(PolicyScores scores)
    {
        using var scope = NewDisposeScope();
        if (scores.OtherLogWeight is not { } weights) return zeros_like(scores.Slate.select(2, 0)).MoveToOuterDisposeScope();
        return cat([scores.Slate, scores.Other.add(weights, TorchScalars.One)], 2).logsumexp(2).MoveToOuterDisposeScope();
    }

    /// <summary>The (estimated) entropy [G, B] of each row's first-draw softmax, given its log normaliser.</summary>
    public static Tensor Entropy(PolicyScores scores, Tensor logNormalizer)
    {
        using var scope = NewDisposeScope();
        if (scores.OtherLogWeight is not { } weights) return scores.Other.exp().mul(scores.Other).sum(2).neg().MoveToOuterDisposeScope();
        var z = logNormalizer.unsqueeze(2);
        var other = scores.Other.sub(z);
        var slate = scores.Slate.sub(z);
        var slateTerm = slate.exp().mul(slate).sum(2);
        var otherTerm = weights.exp().mul(other.exp()).mul(other).sum(2);
        return slateTerm.add(otherTerm, TorchScalars.One).neg().MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Weights [G, B, S] of the items <paramref name="drawn"/> [G, S] (each member's uniform sample of
    /// the catalog) for each row of <paramref name="actions"/> [G, B, K]: ln((N − K)/S_b), or −∞ for a
    /// drawn item that is in the row's slate.
    /// </summary>
    public static Tensor SampledLogWeights(Tensor actions, Tensor drawn, long items)
    {
        using var scope = NewDisposeScope();
        var k = actions.shape[2];
        // hit[g, b, j]: drawn item j of member g is one of row b's slate items.
        var hit = actions.unsqueeze(3).eq(drawn.unsqueeze(1).unsqueeze(2)).any(2);
        var kept = hit.logical_not().to(ScalarType.Float32);
        var keptCount = kept.sum(2, keepdim: true).clamp_min(TorchScalars.Real(1));
        var logWeight = keptCount.reciprocal().mul(TorchScalars.Integer(items - k)).log().expand_as(kept);
        return where(hit, full_like(logWeight, TorchScalars.Real(double.NegativeInfinity)), logWeight).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// <paramref name="count"/> distinct items of <paramref name="items"/>, uniformly (a partial
    /// Fisher-Yates shuffle over a scratch array), written to <paramref name="output"/>.
    /// </summary>
    public static void Draw(int items, ref SimRandom rng, Span<long> output, int[] scratch)
    {
        if (output.Length > items) throw new ArgumentException($"cannot draw {output.Length} distinct items from {items}");
        if (scratch.Length < items) throw new ArgumentException("the scratch array is smaller than the catalog");
        for (var i = 0; i < items; i++) scratch[i] = i;
        for (var i = 0; i < output.Length; i++)
        {
            var j = i + rng.NextInt(items - i);
            (scratch[i], scratch[j]) = (scratch[j], scratch[i]);
            output[i] = scratch[i];
        }
    }
}
