namespace MultiAgentRec.Coordination;

/// <summary>
/// The standard normal distribution's upper tail and its inverse, and the normal score of a rank:
/// the z-score the item at rank r (0 = best) of n would have if the n scores were standard normal,
/// q(r) = Φ⁻¹(1 − (r + ½)/n). Rank-based rules map their fused rank through q, so that a list whose
/// scores are roughly normal gets back about its own z-scores: one temperature then means the same
/// greediness for a rank rule as for score averaging.
/// </summary>
public static class NormalScores
{
    private static readonly double InvSqrt2Pi = 1 / Math.Sqrt(2 * Math.PI);

    /// <summary>Normal score of a (possibly fractional) rank in [0, n − 1] of a list of <paramref name="n"/>; ranks outside are clamped.</summary>
    public static double OfRank(double rank, int n)
    {
        if (n <= 1) return 0;
        var p = (Math.Clamp(rank, 0, n - 1) + 0.5) / n;
        return UpperQuantile(p);
    }

    /// <summary>The x with P(Z &gt; x) = <paramref name="p"/>, for p in (0, 1).</summary>
    public static double UpperQuantile(double p)
    {
        if (p is <= 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(p), p, "must be in (0, 1)");
        if (p > 0.5) return -UpperQuantile(1 - p);
        if (p == 0.5) return 0;
        // Newton's method on g(x) = ln T(x) − ln p, concave and decreasing (the normal tail is
        // log-concave): every tangent lies above g, so each iterate lands at or beyond the root, and
        // from there the iterates fall monotonically to it. No bracketing needed.
        var target = Math.Log(p);
        double x = 0;
        for (var i = 0; i < 100; i++)
        {
            var tail = UpperTail(x);
            var step = (Math.Log(tail) - target) * tail / Density(x);
            x += step;
            if (Math.Abs(step) < 1e-13 * Math.Max(1, x)) break;
        }
        return x;
    }

    /// <summary>
    /// P(Z &gt; x) for x ≥ 0 by the all-positive series Φ(x) = ½ + φ(x)·Σ x^(2n+1)/(2n+1)!! (no
    /// cancellation inside the sum); the tail's relative error grows only as 1e-16/T(x), about 1e-9 at x = 6.
    /// Beyond x = 8 it uses the asymptotic φ(x)/x·(1 − 1/x² + 3/x⁴), exact there to 1e-6 relative.
    /// </summary>
    public static double UpperTail(double x)
    {
        if (x < 0) return 1 - UpperTail(-x);
        if (x > 8)
        {
            var inv2 = 1 / (x * x);
            return Density(x) / x * (1 - inv2 + 3 * inv2 * inv2);
        }
        double term = x, sum = x, x2 = x * x;
        for (var n = 1; n < 500 && term > 1e-17 * sum; n++)
        {
            term *= x2 / (2 * n + 1);
            sum += term;
        }
        return Math.Max(0.5 - Density(x) * sum, double.Epsilon);
    }

    /// <summary>The standard normal density φ(x).</summary>
    public static double Density(double x) => InvSqrt2Pi * Math.Exp(-0.5 * x * x);
}
