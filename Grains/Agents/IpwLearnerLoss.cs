using static TorchSharp.torch;

namespace MultiAgentRec.Agents;

/// <summary>
/// The IPW learner's objective (the Open Bandit Pipeline's IPWLearner, after Dudík, Langford and Li,
/// ICML 2011): maximise the IPW estimate of the policy's value, Σ (r/β)·π(a|x), through its surrogate
/// −mean((r/β)·log π(a|x)), a classification of the logged actions weighted by reward over propensity.
/// Unlike REINFORCE it has no baseline and no top-K multiplier: the baseline every REINFORCE agent
/// should beat.
/// </summary>
public static class IpwLearnerLoss
{
    public static Tensor Loss(ReinforcePolicyNetwork policy, Tensor features, Tensor actions, Tensor propensities, Tensor rewards)
    {
        using var scope = NewDisposeScope();
        var logProbabilities = nn.functional.log_softmax(policy.forward(features), 1).gather(1, actions);
        var weight = rewards.div(propensities.clamp_min(1e-6));
        var loss = weight.mul(logProbabilities).mean().neg();
        return loss.MoveToOuterDisposeScope();
    }
}
