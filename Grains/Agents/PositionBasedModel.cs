namespace MultiAgentRec.Agents;

/// <summary>
/// The position-based click model (PBM; Craswell et al. 2008, Chuklin et al., "Click Models for Web
/// Search", 2015): a user examines slot k with probability θ_k, whatever is shown there, and clicks
/// an examined item i of segment s with probability γ_{s,i}, so P(click | s, i, k) = θ_k·γ_{s,i}.
/// Fitted by expectation-maximisation on the aggregated counts (N, C) of impressions and clicks per
/// (cell, slot): a click means examined and attracted; a miss was examined with probability
/// θ(1−γ)/(1−θγ) and attracted with probability γ(1−θ)/(1−θγ). Each sweep first maximises every
/// γ given θ (a few fixed-point steps per cell), then θ given the γ, which never lowers the
/// likelihood (expectation-conditional maximisation). The fit is warm-started: a few sweeps per
/// round go on from the last round's estimate. The scale is not identified (θ·c, γ/c fit alike),
/// so <see cref="Examination"/> reports θ_k / θ_0: how much of a top-slot impression an impression
/// in slot k is worth.
/// </summary>
public sealed class PositionBasedModel
{
    /// <summary>Sweeps per round unless the agent says otherwise: warm-started, a few suffice.</summary>
    public const int DefaultSweeps = 5;

    // Probabilities are kept inside (0, 1): at θ = γ = 1 a miss would be impossible (0/0 above),
    // and θ = 1 exactly would be a fixed point of the update that no data could move.
    private const double Floor = 1e-9, Ceiling = 1 - 1e-9;
    private const int AttractionSteps = 3;

    private readonly double[] _theta;
    private readonly double[] _gamma;

    public PositionBasedModel(long cells, int slots)
    {
        _theta = new double[slots];
        // Start from "every slot examined half the time": symmetric, so only the data order the slots.
        Array.Fill(_theta, 0.5);
        _gamma = new double[cells];
        Array.Fill(_gamma, 0.5);
    }

    public int Slots => _theta.Length;

    /// <summary>The raw estimates θ_k (for saving and restoring; their scale carries no meaning).</summary>
    public ReadOnlySpan<double> Theta => _theta;

    /// <summary>The raw estimates γ per cell (for saving and restoring).</summary>
    public ReadOnlySpan<double> Gamma => _gamma;

    /// <summary>θ_k / θ_0: the weight of an impression in slot k relative to one in the top slot.</summary>
    public double Examination(int slot) => _theta[slot] / _theta[0];

    /// <summary>Replaces the estimates with saved ones.</summary>
    public void Restore(ReadOnlySpan<double> theta, ReadOnlySpan<double> gamma)
    {
        theta.CopyTo(_theta);
        gamma.CopyTo(_gamma);
    }

    /// <summary>
    /// Runs <paramref name="sweeps"/> sweeps on counts laid out as <c>[cell × Slots + slot]</c>.
    /// Cells without impressions keep their γ and do not move θ.
    /// </summary>
    public void Fit(ReadOnlySpan<double> impressions, ReadOnlySpan<double> clicks, int sweeps)
    {
        int k = _theta.Length;
        if (impressions.Length != _gamma.LongLength * k) throw new ArgumentException($"expected {_gamma.LongLength * k} counts, got {impressions.Length}");
        var examined = new double[k];
        var shown = new double[k];
        for (var sweep = 0; sweep < sweeps; sweep++)
        {
            Array.Clear(examined);
            Array.Clear(shown);
            for (var cell = 0; cell < _gamma.Length; cell++)
            {
                var n = impressions.Slice(cell * k, k);
                var c = clicks.Slice(cell * k, k);
                double total = 0;
                foreach (var x in n) total += x;
                if (total == 0) continue;
                var g = _gamma[cell];
                for (var step = 0; step < AttractionSteps; step++)
                {
                    double attracted = 0;
                    for (var slot = 0; slot < k; slot++)
                    {
                        if (n[slot] == 0) continue;
                        var t = _theta[slot];
                        attracted += c[slot] + (n[slot] - c[slot]) * g * (1 - t) / (1 - t * g);
                    }
                    g = Math.Clamp(attracted / total, Floor, Ceiling);
                }
                _gamma[cell] = g;
                for (var slot = 0; slot < k; slot++)
                {
                    if (n[slot] == 0) continue;
                    var t = _theta[slot];
                    examined[slot] += c[slot] + (n[slot] - c[slot]) * t * (1 - g) / (1 - t * g);
                    shown[slot] += n[slot];
                }
            }
            for (var slot = 0; slot < k; slot++)
                if (shown[slot] > 0) _theta[slot] = Math.Clamp(examined[slot] / shown[slot], Floor, Ceiling);
        }
    }
}
