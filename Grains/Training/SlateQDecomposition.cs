using static TorchSharp.torch;

namespace MultiAgentRec.Training;

/// <summary>
/// SlateQ's decomposition (Ie et al., IJCAI 2019): the value of a slate A at state s is
/// Q(s, A) = Σ_{i∈A} P(i | s, A)·Q̄(s, i), where Q̄(s, i) is item i's long-term value given that the
/// user consumes it and P is a conditional-logit choice model with a no-click option:
/// P(i | s, A) = exp(v(s, i)) / (exp(v₀) + Σ_{j∈A} exp(v(s, j))). The no-click option adds no term:
/// as in the paper's formula, only consumed items carry value.
/// </summary>
public static class SlateQDecomposition
{
    /// <summary>P(i | s, A) for each slate item, [B, k], from choice scores [B, k] and the no-click score (one element).</summary>
    public static Tensor ChoiceProbabilities(Tensor slateScores, Tensor noClickScore)
    {
        using var scope = NewDisposeScope();
        var rows = slateScores.shape[0];
        var withNoClick = cat([slateScores, noClickScore.reshape(1, 1).expand(rows, 1)], 1);
        var k = slateScores.shape[1];
        return nn.functional.softmax(withNoClick, 1).narrow(1, 0, k).MoveToOuterDisposeScope();
    }

    /// <summary>Q(s, A) per row, [B], from choice scores [B, k], the no-click score and item values Q̄ [B, k].</summary>
    public static Tensor SlateValue(Tensor slateScores, Tensor noClickScore, Tensor itemValues)
    {
        using var scope = NewDisposeScope();
        return ChoiceProbabilities(slateScores, noClickScore).mul(itemValues).sum(1).MoveToOuterDisposeScope();
    }
}
