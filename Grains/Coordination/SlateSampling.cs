using MultiAgentRec.Simulation;

namespace MultiAgentRec.Coordination;

/// <summary>Turns combined scores into the slate shown, logging each slot's propensity.</summary>
public static class SlateSampling
{
    /// <summary>
    /// Plackett-Luce sampling without replacement from softmax(z/τ), where z are the standardised
    /// scores: a small temperature is nearly greedy but keeps every propensity positive, which
    /// off-policy learners and estimators need. <paramref name="propensities"/>[k] is the probability
    /// of the item in slot k given the items in the slots before it; their product is the slate's.
    /// </summary>
    public static void PlackettLuce(ReadOnlySpan<float> scores, double temperature, ref SimRandom rng, Span<int> slate, Span<float> propensities, Span<double> scratch)
    {
        var n = scores.Length;
        var (mean, sd) = Standardizer.MeanAndSd(scores);
        var invT = 1 / (sd * temperature);
        var max = double.MinValue;
        foreach (var s in scores) max = Math.Max(max, s);
        double total = 0;
        for (var i = 0; i < n; i++) total += scratch[i] = Math.Exp((scores[i] - max) * invT);
        for (var k = 0; k < slate.Length; k++)
        {
            var target = rng.NextDouble() * total;
            var chosen = -1;
            double cumulative = 0;
            for (var i = 0; i < n; i++)
            {
                if (scratch[i] == 0) continue;
                cumulative += scratch[i];
                chosen = i;
                if (target < cumulative) break;
            }
            slate[k] = chosen;
            propensities[k] = (float)(scratch[chosen] / total);
            total -= scratch[chosen];
            scratch[chosen] = 0;
            if (total <= 0) total = RenormalizeRemaining(scores, scratch, slate[..(k + 1)], invT, max);
        }
    }

    // Underflow guard: when every remaining weight rounded to zero, fall back to uniform over the rest.
    private static double RenormalizeRemaining(ReadOnlySpan<float> scores, Span<double> scratch, ReadOnlySpan<int> taken, double invT, double max)
    {
        double total = 0;
        for (var i = 0; i < scores.Length; i++)
        {
            if (taken.Contains(i)) { scratch[i] = 0; continue; }
            total += scratch[i] = 1;
        }
        return total;
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
