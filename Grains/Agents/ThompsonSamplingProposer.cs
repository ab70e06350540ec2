using MultiAgentRec.Contracts;
using MultiAgentRec.Coordination;
using MultiAgentRec.Simulation;

namespace MultiAgentRec.Agents;

/// <summary>Thompson-sampling proposals: one Beta draw per pool item of the user's segment (the user's own stream), top N of the draws.</summary>
public sealed class ThompsonSamplingProposer(BanditModel model, int seed, ulong streamKey) : ICandidateProposer
{
    public void Propose(int round, ReadOnlySpan<SimulatedUser> users, CandidateSet output)
    {
        var pool = model.Pool;
        var n = Math.Min(output.PerUser, pool);
        Span<float> draws = pool <= 1024 ? stackalloc float[pool] : new float[pool];
        Span<int> best = n <= 256 ? stackalloc int[n] : new int[n];
        for (var u = 0; u < users.Length; u++)
        {
            var user = users[u];
            var rng = SimRandom.For(seed, streamKey, (ulong)round, (ulong)user.Index);
            var offset = user.Segment * pool;
            for (var j = 0; j < pool; j++) draws[j] = (float)rng.NextBeta(model.Alphas[offset + j], model.Betas[offset + j]);
            TopK.Select(draws, best);
            var items = output.ItemRow(u);
            var scores = output.ScoreRow(u);
            for (var j = 0; j < n; j++)
            {
                items[j] = model.Items[offset + best[j]];
                scores[j] = draws[best[j]];
            }
            output.Set(u, n, model.RowMeans[user.Segment], model.RowSds[user.Segment]);
        }
    }
}
