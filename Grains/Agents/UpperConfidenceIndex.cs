namespace MultiAgentRec.Agents;

/// <summary>
/// Upper-confidence indices of a Bernoulli arm with empirical mean p̂ over n pulls, after t pulls of
/// every arm together: UCB1 (Auer, Cesa-Bianchi and Fischer, 2002) and KL-UCB (Garivier and Cappé,
/// 2011). Pulls may be fractional (impressions weighted by examination).
/// </summary>
public static class UpperConfidenceIndex
{
    /// <summary>Absolute tolerance on a KL-UCB index: bisection stops once the bracket is this narrow.</summary>
    public const double KlTolerance = 1e-6;

    /// <summary>UCB1: p̂ + c·√(2 ln t / n). Needs n &gt; 0; t below 1 counts as 1 (no bonus).</summary>
    public static double Ucb1(double mean, double n, double t, double scale) =>
        mean + scale * Math.Sqrt(2 * Math.Log(Math.Max(t, 1)) / n);

    /// <summary>
    /// UCB1-Tuned (the same paper, section 4): p̂ + √(ln t / n · min(1/4, V)), V = σ̂² + √(2 ln t / n),
    /// where σ̂² = p̂(1 − p̂) is a Bernoulli arm's empirical variance (p̂ clamped to [0, 1]). The bonus
    /// follows the arm's variance rather than the [0, 1] range, which matters when clicks are rare:
    /// with ln t = 10.74 and p̂ = 0.1 it is 0.134 at n = 150 and 0.050 at n = 1,000, against UCB1's
    /// √(2 ln t / n) = 0.378 and 0.147. Auer et al. give no regret bound for it. Needs n &gt; 0.
    /// </summary>
    public static double Ucb1Tuned(double mean, double n, double t)
    {
        var p = Math.Clamp(mean, 0, 1);
        var logT = Math.Log(Math.Max(t, 1));
        var v = p * (1 - p) + Math.Sqrt(2 * logT / n);
        return mean + Math.Sqrt(logT / n * Math.Min(0.25, v));
    }

    /// <summary>
    /// KL-UCB: the largest q in [p̂, 1] with n·kl(p̂, q) ≤ ln t + c·ln ln t (the second term only
    /// where ln ln t &gt; 0), found by bisection to <see cref="KlTolerance"/>; the returned value is the
    /// bracket's lower end, so it never overstates the bound. Needs n &gt; 0.
    /// </summary>
    public static double KlUcb(double mean, double n, double t, double c)
    {
        var p = Math.Clamp(mean, 0, 1);
        var logT = Math.Log(Math.Max(t, 1));
        var budget = (logT + (logT > 1 ? c * Math.Log(logT) : 0)) / n;
        double low = p, high = 1;
        // kl(p, q) grows with q on [p, 1], so the set of admissible q is the interval [p, q*].
        if (BernoulliKl(p, high) <= budget) return high;
        while (high - low > KlTolerance)
        {
            var mid = (low + high) / 2;
            if (BernoulliKl(p, mid) <= budget) low = mid; else high = mid;
        }
        return low;
    }

    /// <summary>kl(p, q) = p ln(p/q) + (1−p) ln((1−p)/(1−q)), with 0·ln 0 = 0 (+∞ where q excludes p's outcomes).</summary>
    public static double BernoulliKl(double p, double q)
    {
        double Term(double a, double b) => a == 0 ? 0 : b == 0 ? double.PositiveInfinity : a * Math.Log(a / b);
        return Term(p, q) + Term(1 - p, 1 - q);
    }
}
