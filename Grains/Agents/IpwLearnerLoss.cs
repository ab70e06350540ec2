using MultiAgentRec.Training;
using static TorchSharp.torch;

namespace MultiAgentRec.Agents;

/// <summary>
/// The IPW learner's objective (the Open Bandit Pipeline's IPWLearner, after Dudík, Langford and Li,
/// ICML 2011): maximise the IPW estimate of the policy's value, Σ (r/β)·π(a|x), through its surrogate
/// −mean((r/β)·log π(a|x)), a classification of the logged actions weighted by reward over propensity.
/// Unlike REINFORCE it has no baseline, no entropy bonus and no weight cap: the baseline every REINFORCE
/// agent should beat. Meant for one-slot logs, where π(a|x) is the first draw.
/// </summary>
public sealed class IpwLearnerLoss : IStackedPolicyLoss
{
    public Tensor Loss(PolicyScores scores, Tensor baseline, StackedMinibatch batch)
    {
        using var scope = NewDisposeScope();
        var logProbabilities = scores.Slate.sub(SampledSoftmax.LogNormalizer(scores).unsqueeze(2));
        var weight = batch.Rewards.div(batch.Propensities.clamp_min(TorchScalars.Real(1e-6)));
        var loss = weight.mul(logProbabilities).mul(batch.Mask.unsqueeze(2)).sum([1, 2]).div(batch.Rows.mul(TorchScalars.Integer(batch.Actions.shape[2]))).neg();
        return loss.MoveToOuterDisposeScope();
    }
}
