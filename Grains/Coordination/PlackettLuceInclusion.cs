namespace MultiAgentRec.Coordination;

/// <summary>
/// The probability that a Plackett-Luce draw of a k-item slate from softmax(z/τ) includes a given
/// candidate. PL sampling without replacement is an exponential race: item j arrives at
/// T_j ~ Exp(w_j), w_j = e^(z_j/τ), and the slate is the first k arrivals. Item i is shown iff fewer
/// than k others arrive before it, so
///   P(i ∈ S) = ∫ w_i e^(−w_i t) · P(N_i(t) ≤ k − 1) dt,
/// N_i(t) the number of the others arrived by t, a Poisson-binomial count with p_j(t) = 1 − e^(−w_j t),
/// evaluated by a k-term dynamic programme. In v = ln(w_i t) the integrand e^v·exp(−e^v)·P(N ≤ k−1) is
/// analytic and decays fast at both ends, so the trapezoid rule converges geometrically in the step
/// (error about e^(−π²/h)); log-weights are differenced, never exponentiated alone, so a near-greedy τ
/// cannot underflow. Cost: nodes × candidates × k.
/// </summary>
public static class PlackettLuceInclusion
{
    private const double Step = 0.25, Low = -20, High = 4.5;

    /// <summary>
    /// P(candidate <paramref name="index"/> is among the first <paramref name="slateSize"/> drawn) from
    /// softmax(<paramref name="scores"/>/τ). <paramref name="scratch"/> needs scores.Length + slateSize entries.
    /// </summary>
    public static double Probability(ReadOnlySpan<float> scores, double temperature, int index, int slateSize, Span<double> scratch)
    {
        var n = scores.Length;
        if ((uint)index >= (uint)n) throw new ArgumentOutOfRangeException(nameof(index));
        if (n <= slateSize) return 1;
        var invT = 1 / temperature;
        // Differences of log-weights to item i's, for every other candidate.
        var others = scratch[..(n - 1)];
        var dp = scratch.Slice(n - 1, slateSize);
        for (int j = 0, o = 0; j < n; j++)
            if (j != index) others[o++] = (scores[j] - scores[index]) * invT;

        double integral = 0;
        var nodes = (int)Math.Round((High - Low) / Step);
        for (var node = 0; node <= nodes; node++)
        {
            var v = Low + node * Step;
            var density = Math.Exp(v - Math.Exp(v));
            if (density == 0) continue;
            dp.Clear();
            dp[0] = 1;
            foreach (var d in others)
            {
                var rate = Math.Exp(d + v);
                var stay = Math.Exp(-rate);     // j has not arrived by t
                var arrived = -double.ExpM1(-rate);
                for (var m = slateSize - 1; m > 0; m--) dp[m] = dp[m] * stay + dp[m - 1] * arrived;
                dp[0] *= stay;
            }
            double fewer = 0;
            foreach (var x in dp) fewer += x;
            var weight = node == 0 || node == nodes ? 0.5 : 1;
            integral += weight * density * fewer;
        }
        return Math.Clamp(integral * Step, 0, 1);
    }
}
