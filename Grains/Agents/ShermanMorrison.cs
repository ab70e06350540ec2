namespace MultiAgentRec.Agents;

/// <summary>
/// Rank-one updates of a matrix inverse (Sherman and Morrison, 1950): given A⁻¹, the inverse of
/// A + xxᵀ is A⁻¹ − (A⁻¹x)(A⁻¹x)ᵀ / (1 + xᵀA⁻¹x). O(d²) per observation instead of an O(d³)
/// inversion, which is what lets a linear bandit fold every impression into its per-item inverses.
/// </summary>
public static class ShermanMorrison
{
    /// <summary>
    /// Replaces the symmetric d×d row-major <paramref name="inverse"/> of A by that of A + xxᵀ;
    /// <paramref name="scratch"/> (length d) receives A⁻¹x. The update adds the same product to
    /// [i, j] and [j, i], so an exactly symmetric inverse stays exactly symmetric.
    /// </summary>
    public static void Update(Span<double> inverse, ReadOnlySpan<double> x, Span<double> scratch)
    {
        var d = x.Length;
        var u = scratch[..d];
        double quadratic = 0;
        for (var i = 0; i < d; i++)
        {
            var row = inverse.Slice(i * d, d);
            double sum = 0;
            for (var j = 0; j < d; j++) sum += row[j] * x[j];
            u[i] = sum;
            quadratic += x[i] * sum;
        }
        // A is positive definite (λI plus outer products), so 1 + xᵀA⁻¹x ≥ 1.
        var denominator = 1 + quadratic;
        for (var i = 0; i < d; i++)
        {
            var row = inverse.Slice(i * d, d);
            for (var j = 0; j < d; j++) row[j] -= u[i] * u[j] / denominator;
        }
    }
}
