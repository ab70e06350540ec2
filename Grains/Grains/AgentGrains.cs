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
        Names.Ucb1 => grains.GetGrain<IUcb1AgentGrain>(key),
        Names.KlUcb => grains.GetGrain<IKlUcbAgentGrain>(key),
        Names.Dqn or Names.SlateQ => grains.GetGrain<IValueAgentGrain>(key),
        Names.LinUcb or Names.LinUcbHybrid or Names.LinearThompson => grains.GetGrain<IContextualBanditAgentGrain>(key),
        _ => throw new ArgumentException($"unknown agent kind '{kind}'", nameof(kind)),
    };

    /// <summary>Pushes a trainer's snapshot to an agent of a kind the trainer trains.</summary>
    public static Task SetPolicy(IGrainFactory grains, string kind, string key, PolicySnapshot snapshot) => kind switch
    {
        Names.Reinforce => grains.GetGrain<IReinforceAgentGrain>(key).SetPolicy(snapshot),
        Names.Dqn or Names.SlateQ => grains.GetGrain<IValueAgentGrain>(key).SetPolicy(snapshot),
        _ => throw new ArgumentException($"agent kind '{kind}' is not trained by the trainer", nameof(kind)),
    };

    /// <summary>The first round in which the agent of <paramref name="key"/> is called (later than 0 for one added by an event).</summary>
    internal static int FirstRound(World world, string key)
    {
        var (_, arm, agentId) = GrainKeys.Parse(key);
        return AgentSchedule.FirstActiveRound(world.Spec, arm, agentId);
    }

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
