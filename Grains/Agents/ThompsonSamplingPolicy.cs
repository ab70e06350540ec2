using MultiAgentRec.Contracts;

namespace MultiAgentRec.Agents;

/// <summary>
/// Beta-Bernoulli Thompson sampling: each item's score is a draw from Beta(α+clicks, β+exposure−clicks)
/// of the user's segment (see <see cref="BanditPolicy.Exposures"/>), drawn afresh per user, so exploration follows the posterior's uncertainty.
/// Drawing for the whole catalog per user would make every step cost O(catalog); instead the model
/// keeps, per segment and round, the items with the highest optimistic index (posterior mean + 3
/// posterior sd) down to the <c>poolFactor</c> × N-th, plus every item tied there; each user draws
/// only for a pool of that size (equal indexes sampled at random per user). An item outside the pool
/// would need a draw more than 3 sd above its mean to beat the pool's N-th draw, so the pool changes
/// what a user sees only rarely. Documented in docs/architecture.md.
/// </summary>
public sealed class ThompsonSamplingPolicy(AgentSpec spec, int segments, int items, int candidates, int seed, ulong streamKey, int slateSize = 1)
    : BanditPolicy(spec, segments, items, candidates, seed, streamKey, slateSize)
{
    private const double OptimismSds = 3;
    private readonly double _alpha = spec.Get("priorAlpha", 1);
    private readonly double _beta = spec.Get("priorBeta", 10);
    private readonly int _pool = Math.Min(items, (int)spec.Get("poolFactor", 4) * Math.Min(candidates, items));

    protected override BanditModel Build(int round)
    {
        int n = Statistics.Items, live = Live(round);
        var builder = new BanditModelBuilder(Statistics.Segments, Math.Min(_pool, live), Seed, StreamKey, round);
        var index = new float[live];
        for (var seg = 0; seg < Statistics.Segments; seg++)
        {
            var offset = (long)seg * n;
            double sumMean = 0, sumSecond = 0;
            for (var i = 0; i < live; i++)
            {
                var (a, b) = Posterior(offset + i);
                var m = a / (a + b);
                var v = a * b / ((a + b) * (a + b) * (a + b + 1));
                sumMean += m;
                sumSecond += v + m * m;
                index[i] = (float)(m + OptimismSds * Math.Sqrt(v));
            }
            // The expected mean and spread of one user's row of draws over the items that exist.
            var rowMean = sumMean / live;
            var rowSd = Math.Sqrt(Math.Max(0, sumSecond / live - rowMean * rowMean));
            builder.AddSegment(index, (float)rowMean, (float)rowSd, item =>
            {
                var (a, b) = Posterior(offset + item);
                return ((float)(a / (a + b)), (float)a, (float)b);
            });
        }
        return builder.Build();
    }

    private (double A, double B) Posterior(long cell)
    {
        double clicks = Statistics.Clicks[cell], shown = Exposures[cell];
        return (_alpha + clicks, _beta + Math.Max(0, shown - clicks));
    }
}
