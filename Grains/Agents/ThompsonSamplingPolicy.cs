using MultiAgentRec.Contracts;
using MultiAgentRec.Simulation;

namespace MultiAgentRec.Agents;

/// <summary>
/// Beta-Bernoulli Thompson sampling: each item's score is a draw from Beta(α+clicks, β+misses) of the
/// user's segment, drawn afresh per user, so exploration follows the posterior's uncertainty.
/// Drawing for the whole catalog per user would make every step cost O(catalog); instead the model
/// keeps, per segment and round, a pool of <c>poolFactor</c> × N items with the highest optimistic
/// index (posterior mean + 3 posterior sd; equal ones ranked at random), and each user draws only for
/// the pool. An item outside the pool would need a draw more than 3 sd above its mean to beat the
/// pool's N-th draw, so the pool changes what a user sees only rarely; items with no data share one
/// index and rotate through the pool from round to round. Documented in docs/architecture.md.
/// </summary>
public sealed class ThompsonSamplingPolicy(AgentSpec spec, int segments, int items, int candidates, int seed, ulong streamKey)
    : BanditPolicy(spec, segments, items, candidates, seed, streamKey)
{
    private const double OptimismSds = 3;
    private readonly double _alpha = spec.Get("priorAlpha", 1);
    private readonly double _beta = spec.Get("priorBeta", 10);
    private readonly int _pool = Math.Min(items, (int)spec.Get("poolFactor", 4) * Math.Min(candidates, items));

    protected override BanditModel Build(int round)
    {
        int s = Statistics.Segments, n = Statistics.Items, pool = _pool;
        var items = new int[s * pool];
        var means = new float[s * pool];
        var alphas = new float[s * pool];
        var betas = new float[s * pool];
        var rowMeans = new float[s];
        var rowSds = new float[s];
        var index = new float[n];
        for (var seg = 0; seg < s; seg++)
        {
            var offset = (long)seg * n;
            double sumMean = 0, sumSecond = 0;
            for (var i = 0; i < n; i++)
            {
                var (a, b) = Posterior(offset + i);
                var m = a / (a + b);
                var v = a * b / ((a + b) * (a + b) * (a + b + 1));
                sumMean += m;
                sumSecond += v + m * m;
                index[i] = (float)(m + OptimismSds * Math.Sqrt(v));
            }
            // The expected mean and spread of one user's row of draws over the whole catalog.
            var rowMean = sumMean / n;
            (rowMeans[seg], rowSds[seg]) = ((float)rowMean, (float)Math.Sqrt(Math.Max(0, sumSecond / n - rowMean * rowMean)));
            var top = items.AsSpan(seg * pool, pool);
            TopK.Select(index, TieBreakKeys(round, seg), top);
            for (var j = 0; j < pool; j++)
            {
                var (a, b) = Posterior(offset + top[j]);
                alphas[seg * pool + j] = (float)a;
                betas[seg * pool + j] = (float)b;
                means[seg * pool + j] = (float)(a / (a + b));
            }
        }
        return new BanditModel(s, pool, items, means, alphas, betas, rowMeans, rowSds);
    }

    private (double A, double B) Posterior(long cell)
    {
        double clicks = Statistics.Clicks[cell], shown = Statistics.Impressions[cell];
        return (_alpha + clicks, _beta + Math.Max(0, shown - clicks));
    }

}
