using MultiAgentRec.Simulation;

namespace MultiAgentRec.Coordination;

/// <summary>Turns combined scores into the slate shown, logging each slot's propensity.</summary>
public static class SlateSampling
{
    /// <summary>How far (in units of log) the best remaining weight may sit below the shift: e^−500 ≈ 1e-217, far from double underflow.</summary>
    private const double MaxLogRange = 500;

    /// <summary>
    /// Plackett-Luce sampling without replacement from softmax(z/τ) over the candidates, where z are
    /// scores already in standardised units (see <see cref="IAggregationRule"/>): a small temperature
    /// is nearly greedy but keeps every candidate's propensity positive, which off-policy learners and
    /// estimators need. <paramref name="slate"/> receives indices into <paramref name="scores"/>;
    /// <paramref name="propensities"/>[k] is the probability of the item in slot k given the items in
    /// the slots before it; their product is the slate's.
    /// </summary>
    public static void PlackettLuce(ReadOnlySpan<float> scores, double temperature, ref SimRandom rng, Span<int> slate, Span<float> propensities, Span<double> scratch)
    {
        var n = scores.Length;
        if (n < slate.Length) throw new ArgumentException($"{n} candidates cannot fill a slate of {slate.Length}");
        var invT = 1 / temperature;
        var weights = scratch[..n];
        weights.Clear();
        const double Taken = -1;
        // Weights are exp((score − shift)/τ) for a shift at or above every remaining score. Each slot's
        // total is summed afresh over the items still available (keeping a running total by
        // subtraction loses it all to rounding at small temperatures); the exponentials are recomputed
        // only when the remaining items' best weight would come near underflow.
        var shift = double.NaN;
        for (var k = 0; k < slate.Length; k++)
        {
            var max = double.MinValue;
            for (var i = 0; i < n; i++)
                if (weights[i] != Taken) max = Math.Max(max, scores[i]);
            if (double.IsNaN(shift) || (shift - max) * invT > MaxLogRange)
            {
                shift = max;
                for (var i = 0; i < n; i++)
                    if (weights[i] != Taken) weights[i] = Math.Exp((scores[i] - shift) * invT);
            }
            double total = 0;
            for (var i = 0; i < n; i++)
                if (weights[i] != Taken) total += weights[i];

            var target = rng.NextDouble() * total;
            var chosen = -1;
            double cumulative = 0;
            for (var i = 0; i < n; i++)
            {
                if (weights[i] == Taken || weights[i] == 0) continue;
                cumulative += weights[i];
                chosen = i;
                if (target < cumulative) break;
            }
            slate[k] = chosen;
            propensities[k] = (float)(weights[chosen] / total);
            weights[chosen] = Taken;
        }
    }

    /// <summary>A uniformly random slate without replacement; slot k's propensity is 1/(n−k).</summary>
    public static void Uniform(int items, ref SimRandom rng, Span<int> slate, Span<float> propensities)
    {
        for (var k = 0; k < slate.Length; k++)
        {
            int pick;
            do { pick = rng.NextInt(items); } while (slate[..k].Contains(pick));
            slate[k] = pick;
            propensities[k] = 1f / (items - k);
        }
    }
}
