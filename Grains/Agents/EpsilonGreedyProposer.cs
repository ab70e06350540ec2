using MultiAgentRec.Contracts;
using MultiAgentRec.Coordination;
using MultiAgentRec.Simulation;

namespace MultiAgentRec.Agents;

/// <summary>
/// Epsilon-greedy proposals from a round's model: a user explores with probability ε_t of the
/// round's <see cref="EpsilonSchedule"/> (its own stream, keyed by round and user), else gets its
/// segment's top N by the model's score (posterior mean; the index of UCB kinds, which never explore), equal means
/// ranked at random for this user. Exploring means uniform random scores for the whole catalog; only
/// the top N of those can be candidates, so N distinct random items get the top N order statistics
/// of n uniforms, drawn directly (U₍ₙ₎ = V₁^(1/n), U₍ₙ₋₁₎ = U₍ₙ₎·V₂^(1/(n−1)), …) with mean ½ and
/// spread √(1/12): the same distribution as a full row, at O(N) instead of O(n).
/// <c>catalogSize</c> is n, the items that exist in the model's round (items still to arrive are never drawn).
/// </summary>
public sealed class EpsilonGreedyProposer(BanditModel model, EpsilonSchedule schedule, int catalogSize, int seed, ulong streamKey) : ICandidateProposer
{
    private static readonly float UniformSd = (float)Math.Sqrt(1.0 / 12);

    public void Propose(int round, ReadOnlySpan<SimulatedUser> users, CandidateSet output)
    {
        var n = Math.Min(output.PerUser, model.Pool);
        var epsilon = schedule.At(round);
        Span<int> pool = n <= 256 ? stackalloc int[n] : new int[n];
        for (var u = 0; u < users.Length; u++)
        {
            var user = users[u];
            var items = output.ItemRow(u);
            var scores = output.ScoreRow(u);
            var rng = SimRandom.For(seed, streamKey, (ulong)round, (ulong)user.Index);
            if (rng.NextDouble() < epsilon)
            {
                double top = 1;
                var explored = Math.Min(n, catalogSize);
                for (var j = 0; j < explored; j++)
                {
                    top *= Math.Pow(rng.NextDouble(), 1.0 / (catalogSize - j));
                    int pick;
                    do { pick = rng.NextInt(catalogSize); } while (items[..j].Contains(pick));
                    items[j] = pick;
                    scores[j] = (float)top;
                }
                output.Set(u, explored, 0.5f, UniformSd);
                continue;
            }
            var count = BanditPools.Fill(model, user.Segment, ref rng, pool);
            for (var j = 0; j < count; j++)
            {
                items[j] = model.Items[pool[j]];
                scores[j] = model.Means[pool[j]];
            }
            output.Set(u, count, model.RowMeans[user.Segment], model.RowSds[user.Segment]);
        }
    }
}
