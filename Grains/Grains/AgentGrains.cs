using MultiAgentRec.Contracts;
using MultiAgentRec.Hosting;
using MultiAgentRec.Simulation;

namespace MultiAgentRec.Grains;

/// <summary>Resolves an agent of a given kind to its grain, and loads what an agent grain is built from.</summary>
public static class AgentGrains
{
    public static IAgentGrain Get(IGrainFactory grains, string kind, string key) => kind switch
    {
        Names.EpsilonGreedy => grains.GetGrain<IEpsilonGreedyAgentGrain>(key),
        Names.Thompson => grains.GetGrain<IThompsonSamplingAgentGrain>(key),
        Names.Reinforce => grains.GetGrain<IReinforceAgentGrain>(key),
        Names.LinUcb or Names.LinUcbHybrid or Names.LinearThompson => grains.GetGrain<IContextualBanditAgentGrain>(key),
        _ => throw new ArgumentException($"unknown agent kind '{kind}'", nameof(kind)),
    };

    /// <summary>The world, this agent's spec and its random stream key, from a key "{runId}/{arm}/{agentId}".</summary>
    internal static async Task<(World World, AgentSpec Spec, string RunId, ulong StreamKey)> Load(WorldCache worlds, string key)
    {
        var (runId, arm, agentId) = GrainKeys.Parse(key);
        var world = await worlds.Get(runId);
        var spec = world.Spec.Agents.FirstOrDefault(a => a.Id == agentId)
            ?? throw new InvalidOperationException($"agent '{agentId}' is not in scenario '{world.Spec.Name}'");
        return (world, spec, runId, Agents.CandidateProposers.StreamKey(arm, agentId));
    }
}
