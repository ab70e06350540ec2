using MultiAgentRec.Contracts;

namespace MultiAgentRec.Coordination;

/// <summary>The aggregation rule a scenario names (<c>coordinator.aggregation</c>).</summary>
public static class AggregationRules
{
    /// <summary>
    /// The rule for <paramref name="aggregation"/> in an arm of <paramref name="agents"/> agents. A solo
    /// arm always samples from its agent's own z-scores, whatever the ensemble's rule, so that comparing
    /// rules compares ensembles and never changes the solo baselines. Pick mode has no score rule (null):
    /// it shows one agent's own sample (<see cref="AgentPicking"/>).
    /// </summary>
    public static IAggregationRule? For(string aggregation, int agents, int slateSize) => agents == 1
        ? new WeightedScoreAveraging()
        : aggregation switch
        {
            Names.Borda => new BordaCountVoting(),
            Names.Majority => new MajorityVoting(slateSize),
            Names.ReciprocalRankFusion => new ReciprocalRankFusion(),
            Names.Pick => null,
            _ => new WeightedScoreAveraging(),
        };
}
