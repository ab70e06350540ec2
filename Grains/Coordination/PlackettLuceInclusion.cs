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
/// (measured: 5e-8 at h = 0.5, 3e-9 at h = 0.25); log-weights are differenced, never exponentiated alone, so a near-greedy τ
/// cannot underflow. Cost: nodes × candidates × k.
/// </summary>
public static class PlackettLuceInclusion
{
    private const double Step = 0.5, Low = -22, High = 4.5;

    /// <summary>
    /// Rates below 1e-8 count as "not arrived" (an error under 1e-8 per item and node); above 735 as
    /// "arrived" (e^−735 underflows anyway). Only items in between cost an exponential.
    /// </summary>
    private const double NotYet = 1e-8, Surely = 735;

    /// <summary>
    /// P(candidate <paramref name="index"/> is among the first <paramref name="slateSize"/> drawn) from
    /// softmax(<paramref name="scores"/>/τ). <paramref name="scratch"/> needs scores.Length + slateSize entries.
    /// Accurate to about 1e-7 (the discretisation error at step 0.5 measured at 5e-8 on hand-computed
    /// cases, halving the step makes it 3e-9 at twice the cost; a credit needs far less; cut tails
    /// e^−22 ≈ 3e-10; rates cut at 1e-8); tests check it against exact hand values, inclusions
    /// summing to k, and sampled frequencies.
    /// </summary>
    public static double Probability(ReadOnlySpan<float> scores, double temperature, int index, int slateSize, Span<double> scratch)
    {
        var n = scores.Length;
        if ((uint)index >= (uint)n) throw new ArgumentOutOfRangeException(nameof(index));
        if (n <= slateSize) return 1;
        var invT = 1 / temperature;
        // Each other candidate's weight relative to item i's, w_j/w_i = e^(d_j), kept only where it can
        // matter: an item so far below that its rate stays under NotYet at the last node is dropped, one so
        // far above that its rate passes Surely at the first node always counts as arrived.
        double firstRate = Math.Exp(Low), lastRate = Math.Exp(High);
        var relative = scratch[..(n - 1)];
        var dp = scratch.Slice(n - 1, slateSize);
        int kept = 0, alwaysArrived = 0;
        for (var j = 0; j < n; j++)
        {
            if (j == index) continue;
            var d = (scores[j] - scores[index]) * invT;
            if (d > Math.Log(Surely / firstRate)) alwaysArrived++;
            else if (d >= Math.Log(NotYet / lastRate)) relative[kept++] = Math.Exp(d);
        }
        if (alwaysArrived >= slateSize) return 0;
        var others = relative[..kept];

        double integral = 0;
        var nodes = (int)Math.Round((High - Low) / Step);
        for (var node = 0; node <= nodes; node++)
        {
            var v = Low + node * Step;
            var scale = Math.Exp(v);        // w_i·t
            dp.Clear();
            dp[0] = 1;
            var arrived = alwaysArrived;
            foreach (var r in others)
            {
                var rate = r * scale;       // w_j·t
                if (rate < NotYet) continue;
                if (rate > Surely) { arrived++; continue; }
                var stay = Math.Exp(-rate); // j has not arrived by t
                // 1 − e^−x loses digits for small x; its series does not.
                var came = rate < 1e-4 ? rate * (1 - rate * (0.5 - rate / 6)) : 1 - stay;
                for (var m = slateSize - 1; m > 0; m--) dp[m] = dp[m] * stay + dp[m - 1] * came;
                dp[0] *= stay;
            }
            // P(N ≤ k − 1) with `arrived` more certain arrivals: the first k − arrived terms. It only
            // falls as v (time) grows, so once it is negligible every later node adds nothing.
            if (arrived >= slateSize) break;
            double fewer = 0;
            for (var m = 0; m < slateSize - arrived; m++) fewer += dp[m];
            if (fewer < 1e-15) break;
            var weight = node == 0 || node == nodes ? 0.5 : 1;
            integral += weight * Math.Exp(v - scale) * fewer;
        }
        return Math.Clamp(integral * Step, 0, 1);
    }
}
