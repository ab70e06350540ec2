namespace MultiAgentRec.Agents;

/// <summary>
/// Small dense symmetric matrices as the linear bandits keep them: row-major d×d while learning, and
/// packed (the upper triangle row by row, d(d+1)/2 entries) in models and stored state.
/// </summary>
public static class SymmetricMatrix
{
    public static int PackedSize(int d) => d * (d + 1) / 2;

    /// <summary>The upper triangle of a row-major d×d matrix, row by row.</summary>
    public static void Pack(ReadOnlySpan<double> full, int d, Span<float> packed)
    {
        var at = 0;
        for (var i = 0; i < d; i++)
            for (var j = i; j < d; j++) packed[at++] = (float)full[i * d + j];
    }

    /// <inheritdoc cref="Pack(ReadOnlySpan{double}, int, Span{float})"/>
    public static void Pack(ReadOnlySpan<double> full, int d, Span<double> packed)
    {
        var at = 0;
        for (var i = 0; i < d; i++)
            for (var j = i; j < d; j++) packed[at++] = full[i * d + j];
    }

    /// <summary>The row-major d×d matrix of a packed upper triangle (mirrored below the diagonal).</summary>
    public static void Unpack(ReadOnlySpan<double> packed, int d, Span<double> full)
    {
        var at = 0;
        for (var i = 0; i < d; i++)
            for (var j = i; j < d; j++) full[i * d + j] = full[j * d + i] = packed[at++];
    }

    /// <summary>xᵀPx for a packed symmetric P, clamped at 0 (a positive semi-definite form that rounding may push just below).</summary>
    public static float QuadraticForm(ReadOnlySpan<float> packed, ReadOnlySpan<float> x)
    {
        var d = x.Length;
        var at = 0;
        float sum = 0;
        for (var i = 0; i < d; i++)
        {
            // Row i of the triangle: the diagonal counts once, each off-diagonal entry twice.
            var xi = x[i];
            var row = 0.5f * packed[at++] * xi;
            for (var j = i + 1; j < d; j++) row += packed[at++] * x[j];
            sum += 2 * xi * row;
        }
        return Math.Max(0, sum);
    }

    /// <summary>
    /// The inverse of a symmetric positive-definite row-major k×k matrix, through its Cholesky
    /// factor. Used once per round for the hybrid model's shared block, never per observation.
    /// </summary>
    public static double[] InvertPositiveDefinite(ReadOnlySpan<double> a, int k)
    {
        var l = new double[k * k];
        for (var i = 0; i < k; i++)
            for (var j = 0; j <= i; j++)
            {
                var sum = a[i * k + j];
                for (var p = 0; p < j; p++) sum -= l[i * k + p] * l[j * k + p];
                if (i == j)
                {
                    if (!(sum > 0)) throw new InvalidOperationException($"matrix is not positive definite (pivot {i} is {sum})");
                    l[i * k + i] = Math.Sqrt(sum);
                }
                else l[i * k + j] = sum / l[j * k + j];
            }
        // A⁻¹ = L⁻ᵀL⁻¹: invert the triangle, then multiply.
        var li = new double[k * k];
        for (var j = 0; j < k; j++)
        {
            li[j * k + j] = 1 / l[j * k + j];
            for (var i = j + 1; i < k; i++)
            {
                double sum = 0;
                for (var p = j; p < i; p++) sum -= l[i * k + p] * li[p * k + j];
                li[i * k + j] = sum / l[i * k + i];
            }
        }
        var inverse = new double[k * k];
        for (var i = 0; i < k; i++)
            for (var j = 0; j <= i; j++)
            {
                double sum = 0;
                for (var p = i; p < k; p++) sum += li[p * k + i] * li[p * k + j];
                inverse[i * k + j] = inverse[j * k + i] = sum;
            }
        return inverse;
    }
}
