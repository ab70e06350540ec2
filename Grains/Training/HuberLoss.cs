using static TorchSharp.torch;

namespace MultiAgentRec.Training;

/// <summary>
/// The Huber loss of a TD error d: ½d² for |d| ≤ δ, else δ(|d| − ½δ). Quadratic near zero and linear
/// beyond δ, so a rare large error (a bootstrapped target far off early in training) moves the
/// network by a bounded gradient (±δ) instead of one proportional to the error (Mnih et al. 2015).
/// </summary>
public static class HuberLoss
{
    /// <summary>The elementwise loss of <paramref name="prediction"/> against <paramref name="target"/>.</summary>
    public static Tensor Elementwise(Tensor prediction, Tensor target, double delta)
    {
        using var scope = NewDisposeScope();
        var error = prediction.sub(target).abs();
        var quadratic = error.clamp_max(TorchScalars.Real(delta));
        // ½q² + δ(|d| − q) with q = min(|d|, δ) equals both branches and is smooth at |d| = δ.
        var loss = quadratic.pow(TorchScalars.Integer(2)).mul(TorchScalars.Real(0.5)).add(error.sub(quadratic).mul(TorchScalars.Real(delta)), TorchScalars.One);
        return loss.MoveToOuterDisposeScope();
    }
}
