using MultiAgentRec.Contracts;

namespace MultiAgentRec.Agents;

/// <summary>
/// UCB1 per segment: index = clicks/exposure + c·√(2 ln t / exposure) (<see cref="UpperConfidenceIndex.Ucb1"/>),
/// with c = <c>explorationScale</c> (1: the bound of Auer et al. for rewards in [0, 1]).
/// </summary>
public sealed class Ucb1Policy(AgentSpec spec, int segments, int items, int candidates, int seed, ulong streamKey, int slateSize = 1)
    : IndexPolicy(spec, segments, items, candidates, seed, streamKey, slateSize)
{
    private readonly double _scale = spec.Get("explorationScale", 1);

    protected override double Index(double mean, double exposure, double total) =>
        UpperConfidenceIndex.Ucb1(Math.Min(1, mean), exposure, total, _scale);
}
