namespace MultiAgentRec.Evaluation;

/// <summary>
/// L2-regularised logistic regression on sparse features, fitted by Newton's method (IRLS) with
/// step halving. Deterministic: no random initialisation, no sampling. The intercept (feature 0 by
/// convention of the caller) is left unpenalised so the model's mean matches the data's click rate.
/// </summary>
public sealed class LogisticRegression
{
    private readonly double[] _weights;

    private LogisticRegression(double[] weights) => _weights = weights;

    public IReadOnlyList<double> Weights => _weights;

    /// <summary>Fits weights minimising Σ log-loss + (l2/2)·|w without w₀|².</summary>
    public static LogisticRegression Fit(IReadOnlyList<SparseVector> x, IReadOnlyList<double> y, int dim, double l2, int maxIterations = 30, double tolerance = 1e-9)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(l2);
        var w = new double[dim];
        var gradient = new double[dim];
        var hessian = new double[dim * dim];
        var loss = Loss(x, y, w, l2);
        for (var iteration = 0; iteration < maxIterations; iteration++)
        {
            Array.Clear(gradient);
            Array.Clear(hessian);
            for (var i = 0; i < x.Count; i++)
            {
                var row = x[i];
                var p = Sigmoid(Dot(row, w));
                var residual = p - y[i];
                var curvature = Math.Max(p * (1 - p), 1e-12);
                for (var a = 0; a < row.Count; a++)
                {
                    var ia = row.Indices[a];
                    var va = row.Values[a];
                    gradient[ia] += residual * va;
                    var hrow = ia * dim;
                    for (var b = 0; b < row.Count; b++) hessian[hrow + row.Indices[b]] += curvature * va * row.Values[b];
                }
            }
            for (var j = 0; j < dim; j++)
            {
                var penalty = j == 0 ? 1e-9 : l2; // a whisper on the intercept keeps H positive definite
                gradient[j] += penalty * w[j];
                hessian[j * dim + j] += penalty;
            }
            var step = CholeskySolve(hessian, gradient, dim);

            // Newton on rare clicks can overshoot; halve the step until the loss goes down.
            var candidate = new double[dim];
            var scale = 1.0;
            double newLoss;
            while (true)
            {
                for (var j = 0; j < dim; j++) candidate[j] = w[j] - scale * step[j];
                newLoss = Loss(x, y, candidate, l2);
                if (newLoss <= loss || scale < 1e-6) break;
                scale /= 2;
            }
            var change = 0.0;
            for (var j = 0; j < dim; j++) change = Math.Max(change, Math.Abs(candidate[j] - w[j]));
            Array.Copy(candidate, w, dim);
            var improvement = loss - newLoss;
            loss = newLoss;
            if (change < tolerance || improvement < tolerance * Math.Max(1, Math.Abs(loss))) break;
        }
        return new LogisticRegression(w);
    }

    /// <summary>P(y = 1 | x).</summary>
    public double Predict(SparseVector x) => Sigmoid(Dot(x, _weights));

    private static double Loss(IReadOnlyList<SparseVector> x, IReadOnlyList<double> y, double[] w, double l2)
    {
        double total = 0;
        for (var i = 0; i < x.Count; i++)
        {
            var z = Dot(x[i], w);
            // log(1 + e^z) − y·z, written to stay finite for large |z|.
            total += (z > 0 ? z + Math.Log(1 + Math.Exp(-z)) : Math.Log(1 + Math.Exp(z))) - y[i] * z;
        }
        for (var j = 1; j < w.Length; j++) total += 0.5 * l2 * w[j] * w[j];
        return total;
    }

    private static double Dot(SparseVector x, double[] w)
    {
        double s = 0;
        for (var a = 0; a < x.Count; a++) s += x.Values[a] * w[x.Indices[a]];
        return s;
    }

    private static double Sigmoid(double z) => z >= 0 ? 1 / (1 + Math.Exp(-z)) : Math.Exp(z) / (1 + Math.Exp(z));

    /// <summary>Solves H·s = g for symmetric positive definite H (overwritten by its Cholesky factor).</summary>
    private static double[] CholeskySolve(double[] h, double[] g, int n)
    {
        for (var j = 0; j < n; j++)
        {
            var jj = j * n;
            var d = h[jj + j];
            for (var k = 0; k < j; k++) d -= h[jj + k] * h[jj + k];
            d = Math.Sqrt(Math.Max(d, 1e-300));
            h[jj + j] = d;
            for (var i = j + 1; i < n; i++)
            {
                var ii = i * n;
                var s = h[ii + j];
                for (var k = 0; k < j; k++) s -= h[ii + k] * h[jj + k];
                h[ii + j] = s / d;
            }
        }
        var z = new double[n];
        for (var i = 0; i < n; i++)
        {
            var s = g[i];
            for (var k = 0; k < i; k++) s -= h[i * n + k] * z[k];
            z[i] = s / h[i * n + i];
        }
        var x = new double[n];
        for (var i = n - 1; i >= 0; i--)
        {
            var s = z[i];
            for (var k = i + 1; k < n; k++) s -= h[k * n + i] * x[k];
            x[i] = s / h[i * n + i];
        }
        return x;
    }
}
