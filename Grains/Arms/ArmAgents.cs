using MultiAgentRec.Contracts;

namespace MultiAgentRec.Arms;

/// <summary>Which agents collaborate in an arm, and what kind of arm it is.</summary>
public static class ArmAgents
{
    /// <summary>The agents of an arm: all of them (ensemble), one (solo:&lt;id&gt;), or none (random, oracle).</summary>
    public static AgentSpec[] Of(SimulationSpec spec, string arm) => arm switch
    {
        Names.Ensemble => spec.Agents,
        _ when arm.StartsWith(Names.SoloPrefix, StringComparison.Ordinal) => spec.Agents.Where(a => a.Id == arm[Names.SoloPrefix.Length..]).ToArray(),
        _ => [],
    };
}
