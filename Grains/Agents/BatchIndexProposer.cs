using MultiAgentRec.Contracts;
using MultiAgentRec.Coordination;
using MultiAgentRec.Simulation;

namespace MultiAgentRec.Agents;

/// <summary>
/// Proposals of an index policy with a batch allocation (see <see cref="IndexPolicy"/>): in an allocated
/// segment, each user draws, from its own stream, the allocated items with inclusion probability equal
/// to their shares (systematic sampling: one uniform offset u, item i is drawn when an integer
/// translate of u falls in its stretch of the cumulative shares; shares are at most 1, so exactly,
/// P(i drawn) = share_i, and about Σ shares, a slate's worth, are drawn). The user's list is the drawn
/// items, then the allocated ones not drawn, then the others, each group in the segment's ranking
/// order, so the best-ranked drawn item takes the top slot; when the allocation sits on a slate's
/// worth of items with share 1 every user gets them in index order, as without an allocation.
/// Scores are ranks (N − position, 0 for every unlisted item, the row's mean and spread taken over
/// the catalog): one rank is 1/sd z-units apart (≈ 0.33 at 300 items and N = 20, 3.3 logits at the
/// default temperature 0.1), so the coordinator's sampling follows the user's own order. A segment
/// without an allocation is served as <see cref="EpsilonGreedyProposer"/> with ε = 0 serves it.
/// </summary>
public sealed class BatchIndexProposer(BanditModel model, int catalogSize, int seed, ulong streamKey) : ICandidateProposer
{
    private readonly float[] _shares = model.Shares ?? throw new ArgumentException("the model has no batch allocation", nameof(model));

    public void Propose(int round, ReadOnlySpan<SimulatedUser> users, CandidateSet output)
    {
        var n = Math.Min(output.PerUser, model.Pool);
        Span<int> pool = n <= 256 ? stackalloc int[n] : new int[n];
        for (var u = 0; u < users.Length; u++)
        {
            var user = users[u];
            var items = output.ItemRow(u);
            var scores = output.ScoreRow(u);
            var rng = SimRandom.For(seed, streamKey, (ulong)round, (ulong)user.Index);
            // Drawn first in both branches, so that a segment without an allocation sees the stream
            // the ε = 0 proposer's users see (it draws for its exploration test first).
            var offset = rng.NextDouble();
            int start = model.Starts[user.Segment], end = model.Starts[user.Segment + 1];
            if (start == end || float.IsNaN(_shares[start]))
            {
                var ranked = BanditPools.Fill(model, user.Segment, ref rng, pool);
                for (var j = 0; j < ranked; j++)
                {
                    items[j] = model.Items[pool[j]];
                    scores[j] = model.Means[pool[j]];
                }
                output.Set(u, ranked, model.RowMeans[user.Segment], model.RowSds[user.Segment]);
                continue;
            }
            var count = Math.Min(n, end - start);
            var written = 0;
            for (var pass = 0; pass < 2; pass++)
            {
                var drawn = pass == 0;
                double next = offset, cumulative = 0;
                for (var i = start; i < end && written < count; i++)
                {
                    var share = _shares[i];
                    // Pass 1 keeps the items the offset hits; pass 2 repeats the same walk and keeps the others.
                    var hit = share > 0 && next < (cumulative += share);
                    if (hit) next += 1;
                    if (hit == drawn) items[written++] = model.Items[i];
                }
            }
            for (var j = 0; j < count; j++) scores[j] = count - j;
            var (mean, sd) = RankRow(count, catalogSize);
            output.Set(u, count, (float)mean, (float)sd);
        }
    }

    /// <summary>Mean and sd over a catalog of <paramref name="catalog"/> items of rank scores c, c − 1, …, 1 for the listed items and 0 for the rest.</summary>
    public static (double Mean, double Sd) RankRow(int count, int catalog)
    {
        double c = count, sum = c * (c + 1) / 2, sumSquares = c * (c + 1) * (2 * c + 1) / 6;
        var mean = sum / catalog;
        return (mean, Math.Sqrt(Math.Max(0, sumSquares / catalog - mean * mean)));
    }
}
