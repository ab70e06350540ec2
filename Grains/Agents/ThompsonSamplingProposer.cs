using MultiAgentRec.Contracts;
using MultiAgentRec.Coordination;
using MultiAgentRec.Simulation;

namespace MultiAgentRec.Agents;

/// <summary>Thompson-sampling proposals: the user's pool from the model, one Beta draw per pool item (the user's own stream), the top N draws.</summary>
public sealed class ThompsonSamplingProposer(BanditModel model, int seed, ulong streamKey) : ICandidateProposer
{
    public void Propose(int round, ReadOnlySpan<SimulatedUser> users, CandidateSet output)
    {
        var size = model.Pool;
        var n = Math.Min(output.PerUser, size);
        Span<int> pool = size <= 1024 ? stackalloc int[size] : new int[size];
        Span<float> draws = size <= 1024 ? stackalloc float[size] : new float[size];
        Span<int> best = n <= 256 ? stackalloc int[n] : new int[n];
        for (var u = 0; u < users.Length; u++)
        {
            var user = users[u];
            var rng = SimRandom.For(seed, streamKey, (ulong)round, (ulong)user.Index);
            var count = BanditPools.Fill(model, user.Segment, ref rng, pool);
            for (var j = 0; j < count; j++) draws[j] = (float)rng.NextBeta(model.Alphas[pool[j]], model.Betas[pool[j]]);
            var top = best[..Math.Min(n, count)];
            TopK.Select(draws[..count], top);
            var items = output.ItemRow(u);
            var scores = output.ScoreRow(u);
            for (var j = 0; j < top.Length; j++)
            {
                items[j] = model.Items[pool[top[j]]];
                scores[j] = draws[top[j]];
            }
            output.Set(u, top.Length, model.RowMeans[user.Segment], model.RowSds[user.Segment]);
        }
    }
}
