using MultiAgentRec.Simulation;

namespace MultiAgentRec.Evaluation;

/// <summary>
/// A Bernoulli Thompson sampling policy, as the one that logged the Open Bandit Dataset's <c>bts/</c>
/// campaigns: each item's click rate has a Beta(1 + clicks, 1 + impressions − clicks) posterior fitted
/// on the log (over all slots), the policy draws one rate per item and shows the items in decreasing
/// order of their draws, slot k getting the k-th. Its probability of showing item a at slot k has no
/// closed form, so it is estimated by Monte Carlo over a fixed number of draws from a fixed seed
/// (the Open Bandit Pipeline computes its BTS propensities the same way). It ignores the context.
/// </summary>
public static class BernoulliThompsonSamplingPolicy
{
    public const int DefaultSamples = 100_000;

    /// <summary>π(a | k) as a slots × items table (row-major).</summary>
    public static double[] SlotProbabilities(BanditFeedback log, int samples, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(samples, 1);
        int items = log.Items, slots = log.Positions;
        if (slots > items) throw new ArgumentException($"{slots} slots cannot be filled from {items} items");
        var clicks = new double[items];
        var impressions = new double[items];
        for (var r = 0; r < log.Rows; r++)
        {
            impressions[log.Item[r]]++;
            clicks[log.Item[r]] += log.Reward[r];
        }
        var counts = new long[slots * items];
        var draws = new double[items];
        var ranked = new int[slots];
        var rng = SimRandom.For(seed, SimRandom.Key("bts-policy"));
        for (var s = 0; s < samples; s++)
        {
            for (var a = 0; a < items; a++) draws[a] = rng.NextBeta(1 + clicks[a], 1 + impressions[a] - clicks[a]);
            TopSlots(draws, ranked);
            for (var k = 0; k < slots; k++) counts[k * items + ranked[k]]++;
        }
        var p = new double[slots * items];
        for (var j = 0; j < p.Length; j++) p[j] = (double)counts[j] / samples;
        return p;
    }

    /// <summary>Per row × item (row-major): π(a | k) at the row's logged slot.</summary>
    public static double[] ActionProbabilities(BanditFeedback log, int samples, int seed)
    {
        var table = SlotProbabilities(log, samples, seed);
        var p = new double[log.Rows * log.Items];
        for (var r = 0; r < log.Rows; r++) Array.Copy(table, log.Position[r] * log.Items, p, r * log.Items, log.Items);
        return p;
    }

    private static void TopSlots(double[] draws, int[] ranked)
    {
        var count = 0;
        for (var a = 0; a < draws.Length; a++)
        {
            var v = draws[a];
            if (count == ranked.Length && !(v > draws[ranked[^1]])) continue;
            var pos = count < ranked.Length ? count++ : ranked.Length - 1;
            while (pos > 0 && v > draws[ranked[pos - 1]]) { ranked[pos] = ranked[pos - 1]; pos--; }
            ranked[pos] = a;
        }
    }
}
