using MultiAgentRec.Simulation;

namespace MultiAgentRec.Coordination;

/// <summary>
/// Pick mode (<c>coordinator.aggregation: pick</c>): a bandit over agents (EXP3; with
/// <c>weights: segment</c>, one EXP3 per segment, which is EXP4 with the segments as experts' contexts)
/// that shows, per request, ONE agent's own Plackett-Luce sample at the scenario's temperature, the
/// agent drawn with probability p_a = its weight (Hedge with a floor: EXP3's exploration). The slate's
/// logged propensities are those of the policy that really acted, the mixture Σ_a p_a·π_a: slot j's
/// propensity is Σ_a p_a·π_a(s_0..s_j) / Σ_a p_a·π_a(s_0..s_j−1), so their product is the slate's
/// marginal probability, pick probabilities included, and an agent that would never show it adds nothing.
/// </summary>
public static class AgentPicking
{
    /// <summary>Draws an agent index with probabilities <paramref name="weights"/> (summing to 1).</summary>
    public static int Pick(ReadOnlySpan<double> weights, ref SimRandom rng)
    {
        var target = rng.NextDouble();
        double cumulative = 0;
        for (var a = 0; a < weights.Length; a++)
        {
            cumulative += weights[a];
            if (target < cumulative) return a;
        }
        // Rounding left the sum just under 1: the last agent with any weight.
        for (var a = weights.Length - 1; a > 0; a--)
            if (weights[a] > 0) return a;
        return 0;
    }

    /// <summary>
    /// Per-slot propensities of <paramref name="slate"/> (items) under the mixture of the agents' solo PL
    /// policies from their own standardised scores at <paramref name="temperature"/>; computed in logs so
    /// that a near-greedy temperature cannot underflow. <paramref name="scratch"/> needs 2 × agents entries.
    /// </summary>
    public static void MixturePropensities(IReadOnlyList<CandidateSet> agents, int user, ReadOnlySpan<double> weights, double temperature,
        ReadOnlySpan<int> slate, Span<float> propensities, Span<double> scratch)
    {
        var count = agents.Count;
        var logPrefix = scratch[..count];
        var logNext = scratch.Slice(count, count);
        for (var a = 0; a < count; a++) logPrefix[a] = weights[a] > 0 ? Math.Log(weights[a]) : double.NegativeInfinity;
        var invT = 1 / temperature;
        for (var k = 0; k < slate.Length; k++)
        {
            for (var a = 0; a < count; a++)
            {
                logNext[a] = double.NegativeInfinity;
                if (double.IsNegativeInfinity(logPrefix[a])) continue;
                var p = agents[a];
                var items = p.ItemsOf(user);
                var scores = p.ScoresOf(user);
                var inv = invT / p.RowSd[user];
                // log of the PL conditional: z_item/τ − log Σ_{remaining} e^(z/τ), shifted by the best remaining.
                double best = double.MinValue, chosen = double.NaN;
                for (var j = 0; j < items.Length; j++)
                {
                    if (slate[..k].Contains(items[j])) continue;
                    best = Math.Max(best, scores[j] * inv);
                    if (items[j] == slate[k]) chosen = scores[j] * inv;
                }
                if (double.IsNaN(chosen)) continue;
                double total = 0;
                for (var j = 0; j < items.Length; j++)
                    if (!slate[..k].Contains(items[j])) total += Math.Exp(scores[j] * inv - best);
                logNext[a] = logPrefix[a] + chosen - best - Math.Log(total);
            }
            propensities[k] = (float)Math.Exp(LogSumExp(logNext) - LogSumExp(logPrefix));
            logNext.CopyTo(logPrefix);
        }
    }

    private static double LogSumExp(ReadOnlySpan<double> values)
    {
        var max = double.NegativeInfinity;
        foreach (var v in values) max = Math.Max(max, v);
        if (double.IsNegativeInfinity(max)) return max;
        double sum = 0;
        foreach (var v in values) sum += Math.Exp(v - max);
        return max + Math.Log(sum);
    }
}
