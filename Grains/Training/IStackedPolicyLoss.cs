using static TorchSharp.torch;

namespace MultiAgentRec.Training;

/// <summary>The objective a <see cref="ReinforceLearnerGroup"/> minimises, per member, on stacked logits.</summary>
public interface IStackedPolicyLoss
{
    /// <summary>
    /// Each member's loss [G] for the policy's scores (the slate's logits and the rest of the catalog's,
    /// in full or sampled: <see cref="PolicyScores"/>) and baseline values [G, B, K]. Members' losses
    /// depend only on their own slices, so the gradient of their sum is each member's own gradient.
    /// </summary>
    Tensor Loss(PolicyScores scores, Tensor baseline, StackedMinibatch batch);
}
