using MultiAgentRec.Contracts;
using MultiAgentRec.Simulation;

namespace MultiAgentRec.Agents;

/// <summary>
/// Epsilon-greedy: scores are posterior-mean click rates (clicks+α)/(impressions+α+β) of the user's
/// segment; with probability ε a user gets random scores instead (exploration). The model holds,
/// per segment, the top candidates by mean (equal means ranked at random each round), kept up to date
/// once per round instead of re-sorting the catalog for every user.
/// </summary>
public sealed class EpsilonGreedyPolicy(AgentSpec spec, int segments, int items, int candidates, int seed, ulong streamKey)
    : BanditPolicy(spec, segments, items, candidates, seed, streamKey)
{
    private readonly float _alpha = (float)spec.Get("priorAlpha", 1);
    private readonly float _beta = (float)spec.Get("priorBeta", 10);

    protected override BanditModel Build(int round)
    {
        int s = Statistics.Segments, n = Statistics.Items, pool = Candidates;
        var items = new int[s * pool];
        var means = new float[s * pool];
        var rowMeans = new float[s];
        var rowSds = new float[s];
        var row = new float[n];
        for (var seg = 0; seg < s; seg++)
        {
            var offset = (long)seg * n;
            for (var i = 0; i < n; i++)
                row[i] = (float)((Statistics.Clicks[offset + i] + _alpha) / (Statistics.Impressions[offset + i] + _alpha + _beta));
            var (mean, sd) = Coordination.Standardizer.MeanAndSd(row);
            (rowMeans[seg], rowSds[seg]) = ((float)mean, (float)sd);
            var top = items.AsSpan(seg * pool, pool);
            TopK.Select(row, TieBreakKeys(round, seg), top);
            for (var j = 0; j < pool; j++) means[seg * pool + j] = row[top[j]];
        }
        return new BanditModel(s, pool, items, means, [], [], rowMeans, rowSds);
    }
}
