using MultiAgentRec.Contracts;

namespace MultiAgentRec.Agents;

/// <summary>
/// UCB1 per segment: index = clicks/exposure + c·√(2 ln t / exposure) (<see cref="UpperConfidenceIndex.Ucb1"/>),
/// with c = <c>explorationScale</c> (1: the bound of Auer et al. for rewards in [0, 1]); with
/// <c>tuned: 1</c>, UCB1-Tuned from the same paper (<see cref="UpperConfidenceIndex.Ucb1Tuned"/>: the
/// bonus follows each item's empirical click variance; <c>explorationScale</c> is not used).
/// </summary>
public sealed class Ucb1Policy(AgentSpec spec, int segments, int items, int candidates, int seed, ulong streamKey, int slateSize = 1)
    : IndexPolicy(spec, segments, items, candidates, seed, streamKey, slateSize)
{
    private readonly double _scale = spec.Get("explorationScale", 1);
    private readonly bool _tuned = spec.Get("tuned", 0) != 0;

    protected override double Index(double mean, double exposure, double total) => _tuned
        ? UpperConfidenceIndex.Ucb1Tuned(Math.Min(1, mean), exposure, total)
        : UpperConfidenceIndex.Ucb1(Math.Min(1, mean), exposure, total, _scale);
}
