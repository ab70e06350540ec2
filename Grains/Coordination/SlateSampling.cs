using MultiAgentRec.Simulation;

namespace MultiAgentRec.Coordination;

/// <summary>Turns combined scores into the slate shown, logging each slot's propensity.</summary>
public static class SlateSampling
{
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
        for (var k = 0; k < slate.Length; k++)
        {
            // Each slot's softmax is computed afresh over the items still available, relative to
            // their own maximum: exact however much weight the items already taken held (keeping
            // a running total by subtraction loses it all to rounding at small temperatures).
            var max = double.MinValue;
            for (var i = 0; i < n; i++)
                if (weights[i] != Taken) max = Math.Max(max, scores[i]);
            double total = 0;
            for (var i = 0; i < n; i++)
                if (weights[i] != Taken) total += weights[i] = Math.Exp((scores[i] - max) * invT);

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
