using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MultiAgentRec.Training;

/// <summary>
/// Adam (Kingma and Ba, 2015; PyTorch's formulation) over stacked parameters whose leading dimension is
/// the member: each member has its own learning rate and step count, and a step updates only the
/// members that had rows in it, so a member's trajectory of parameters is exactly what a separate
/// Adam on its own parameters would produce. Adam is element-wise, which is what makes stacking exact.
/// With one member the parameters need no leading member dimension (every per-member factor is then
/// a scalar that broadcasts), which is how the value learners use it: TorchSharp's own Adam converts
/// its hyper-parameters to scalars implicitly on every step (see <see cref="TorchScalars"/> for why
/// the project never does).
/// </summary>
public sealed class StackedAdam : IDisposable
{
    public const double Beta1 = 0.9, Beta2 = 0.999, Epsilon = 1e-8;

    private readonly IReadOnlyList<Parameter> _parameters;
    private readonly Tensor[] _first, _second;
    private readonly double[] _learningRates;
    private readonly Device _device;

    /// <summary>Steps taken by each member.</summary>
    public long[] Steps { get; }

    public StackedAdam(IReadOnlyList<Parameter> parameters, double[] learningRates)
    {
        _parameters = parameters;
        _learningRates = learningRates;
        _device = parameters[0].device;
        _first = [.. parameters.Select(p => zeros_like(p))];
        _second = [.. parameters.Select(p => zeros_like(p))];
        Steps = new long[learningRates.Length];
    }

    /// <summary>The moment estimates of parameter i (for checkpoints): first, second.</summary>
    public (Tensor First, Tensor Second) Moments(int i) => (_first[i], _second[i]);

    public void ZeroGrad()
    {
        using var scope = NewDisposeScope();
        foreach (var p in _parameters) p.grad?.zero_();
    }

    /// <summary>One update of the members whose <paramref name="active"/> flag is set, from the current gradients.</summary>
    public void Step(bool[] active)
    {
        var g = Steps.Length;
        var on = new float[g];
        var stepSize = new float[g];
        var correction2 = new float[g];
        for (var m = 0; m < g; m++)
        {
            correction2[m] = 1;
            if (!active[m]) continue;
            Steps[m]++;
            on[m] = 1;
            stepSize[m] = (float)(_learningRates[m] / (1 - Math.Pow(Beta1, Steps[m])));
            correction2[m] = (float)Math.Sqrt(1 - Math.Pow(Beta2, Steps[m]));
        }
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var onT = tensor(on).to(_device);
        var stepT = tensor(stepSize).to(_device);
        var c2T = tensor(correction2).to(_device);
        for (var i = 0; i < _parameters.Count; i++)
        {
            var p = _parameters[i];
            if (p.grad is not { } grad) continue;
            long[] shape = [g, .. Enumerable.Repeat(1L, (int)p.dim() - 1)];
            var gate = onT.view(shape);
            // m ← m + (1−β₁)(g − m) and v ← v + (1−β₂)(g² − v) for active members; unchanged otherwise.
            _first[i].add_(grad.sub(_first[i]).mul(gate.mul(TorchScalars.Real(1 - Beta1))), TorchScalars.One);
            _second[i].add_(grad.pow(TorchScalars.Integer(2)).sub(_second[i]).mul(gate.mul(TorchScalars.Real(1 - Beta2))), TorchScalars.One);
            var denominator = _second[i].sqrt().div(c2T.view(shape)).add(TorchScalars.Real(Epsilon), TorchScalars.One);
            p.sub_(_first[i].div(denominator).mul(stepT.view(shape)));
        }
    }

    public void Dispose()
    {
        foreach (var t in _first) t.Dispose();
        foreach (var t in _second) t.Dispose();
    }
}
