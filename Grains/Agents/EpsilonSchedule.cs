using MultiAgentRec.Contracts;

namespace MultiAgentRec.Agents;

/// <summary>
/// Epsilon-greedy's exploration rate in round t: ε_t = max(ε_min, ε / (1 + decay·t)). A harmonic
/// decay keeps Σ ε_t infinite, so every item is still tried infinitely often, while the share of
/// exploring users falls; decay 0 (the default) keeps ε constant.
/// </summary>
public sealed record EpsilonSchedule(double Epsilon, double Decay, double Minimum)
{
    /// <summary>Never explores: the proposals of the deterministic index policies.</summary>
    public static readonly EpsilonSchedule Greedy = new(0, 0, 0);

    /// <summary>The schedule an epsilon-greedy agent's hyper-parameters set (epsilon, epsilonDecay, epsilonMin).</summary>
    public static EpsilonSchedule Of(AgentSpec agent) =>
        new(agent.Get("epsilon", 0.1), agent.Get("epsilonDecay", 0), agent.Get("epsilonMin", 0));

    /// <summary>ε in round <paramref name="round"/> (0-based).</summary>
    public double At(int round) => Math.Max(Minimum, Epsilon / (1 + Decay * round));
}
