using static TorchSharp.torch;

namespace MultiAgentRec.Training;

/// <summary>
/// The double-DQN target (van Hasselt, Guez and Silver, AAAI 2016): y = r + γ·Q_target(s', a*) with
/// a* = argmax_a Q_online(s', a). The online network picks the next action and the slowly moving
/// target network evaluates it, which removes most of the upward bias of taking the max of one
/// network's own noisy estimates.
/// </summary>
public static class DoubleDqnTarget
{
    /// <param name="rewards">Rewards, [B, k] (k items of a slate share one next state).</param>
    /// <param name="nextOnline">Online Q-values of every item at the next state, [B, items].</param>
    /// <param name="nextTarget">Target Q-values of every item at the next state, [B, items].</param>
    /// <returns>The targets, [B, k].</returns>
    public static Tensor Compute(Tensor rewards, Tensor nextOnline, Tensor nextTarget, double gamma)
    {
        using var scope = NewDisposeScope();
        var best = nextOnline.argmax(1, keepdim: true);
        var value = nextTarget.gather(1, best);
        return rewards.add(value.mul(TorchScalars.Real(gamma)), TorchScalars.One).MoveToOuterDisposeScope();
    }
}
