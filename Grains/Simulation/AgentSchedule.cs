using MultiAgentRec.Contracts;

namespace MultiAgentRec.Simulation;

/// <summary>
/// Which agents propose in which round, from the scenario's <c>addAgent</c> / <c>removeAgent</c>
/// events. The events change the ensemble only: a solo arm is the reference for what its agent
/// would have done alone over the whole run, so it always runs. An agent whose first event is
/// <c>addAgent</c> is absent until then; every other agent starts active. Events take effect at the
/// start of their round, in round order (file order within a round).
/// </summary>
public static class AgentSchedule
{
    /// <summary>Whether <paramref name="agentId"/> proposes in <paramref name="round"/> of <paramref name="arm"/>.</summary>
    public static bool IsActive(SimulationSpec spec, string arm, string agentId, int round)
    {
        if (arm != Names.Ensemble) return true;
        var changes = Changes(spec, agentId);
        var active = changes.Count == 0 || changes[0].Kind != ScenarioEvent.AddAgent;
        foreach (var e in changes)
        {
            if (e.Round > round) break;
            active = e.Kind == ScenarioEvent.AddAgent;
        }
        return active;
    }

    /// <summary>One flag per agent of <paramref name="agents"/> (the arm's, in order).</summary>
    public static bool[] Active(SimulationSpec spec, string arm, IReadOnlyList<AgentSpec> agents, int round)
    {
        var result = new bool[agents.Count];
        for (var a = 0; a < result.Length; a++) result[a] = IsActive(spec, arm, agents[a].Id, round);
        return result;
    }

    /// <summary>The first round in which the agent proposes in the arm (its grains are first called then).</summary>
    public static int FirstActiveRound(SimulationSpec spec, string arm, string agentId)
    {
        if (arm != Names.Ensemble) return 0;
        var changes = Changes(spec, agentId);
        if (changes.Count == 0 || changes[0].Kind != ScenarioEvent.AddAgent) return 0;
        return changes[0].Round;
    }

    private static List<ScenarioEvent> Changes(SimulationSpec spec, string agentId) =>
        [.. spec.EventList.Where(e => e.AgentId == agentId && e.Kind is ScenarioEvent.AddAgent or ScenarioEvent.RemoveAgent).OrderBy(e => e.Round)];
}
