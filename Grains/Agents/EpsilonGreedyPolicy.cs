using MultiAgentRec.Contracts;

namespace MultiAgentRec.Agents;

/// <summary>
/// Epsilon-greedy: scores are posterior-mean click rates (clicks+α)/(exposure+α+β) of the user's
/// segment (exposure: impressions, weighted by examination under position-bias correction); with probability ε a user gets random scores instead (exploration). The model holds,
/// per segment, the items above the N-th best mean and every item tied at it, kept up to date once
/// per round instead of re-sorting the catalog for every user; each user's N candidates are those
/// with its equal means ranked at random.
/// </summary>
public sealed class EpsilonGreedyPolicy(AgentSpec spec, int segments, int items, int candidates, int seed, ulong streamKey, int slateSize = 1)
    : BanditPolicy(spec, segments, items, candidates, seed, streamKey, slateSize)
{
    private readonly float _alpha = (float)spec.Get("priorAlpha", 1);
    private readonly float _beta = (float)spec.Get("priorBeta", 10);

    protected override BanditModel Build(int round)
    {
        int n = Statistics.Items, live = Live(round);
        var builder = new BanditModelBuilder(Statistics.Segments, Candidates, Seed, StreamKey, round);
        var row = new float[live];
        for (var seg = 0; seg < Statistics.Segments; seg++)
        {
            var offset = (long)seg * n;
            for (var i = 0; i < live; i++)
                row[i] = (float)((Statistics.Clicks[offset + i] + _alpha) / (Exposures[offset + i] + _alpha + _beta));
            var (mean, sd) = Coordination.Standardizer.MeanAndSd(row);
            builder.AddSegment(row, (float)mean, (float)sd, item => (row[item], 0, 0));
        }
        return builder.Build();
    }
}
