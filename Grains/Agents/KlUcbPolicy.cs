using MultiAgentRec.Contracts;

namespace MultiAgentRec.Agents;

/// <summary>
/// KL-UCB per segment for Bernoulli clicks (<see cref="UpperConfidenceIndex.KlUcb"/>): the largest
/// click rate q with exposure·kl(p̂, q) ≤ ln t + c·ln ln t, c = <c>c</c> (0 by default, as Garivier
/// and Cappé advise in practice; 3 in their regret bound). Unlike UCB1's range-based bonus, the
/// KL bound shrinks with the rate itself, which matters when clicks are rare.
/// </summary>
public sealed class KlUcbPolicy(AgentSpec spec, int segments, int items, int candidates, int seed, ulong streamKey, int slateSize = 1)
    : IndexPolicy(spec, segments, items, candidates, seed, streamKey, slateSize)
{
    private readonly double _c = spec.Get("c", 0);

    protected override double Index(double mean, double exposure, double total) =>
        UpperConfidenceIndex.KlUcb(mean, exposure, total, _c);
}
