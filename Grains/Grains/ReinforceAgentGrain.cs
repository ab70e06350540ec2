using MultiAgentRec.Agents;
using MultiAgentRec.Contracts;
using MultiAgentRec.Hosting;
using MultiAgentRec.Simulation;

namespace MultiAgentRec.Grains;

/// <summary>
/// REINFORCE agent: a <see cref="TrainedAgentGrain{TState}"/> whose policy network starts from the
/// run's seed or from its warm start (<see cref="ReinforcePolicyNetwork.Create"/>).
/// </summary>
public sealed class ReinforceAgentGrain(WorldCache worlds, [PersistentState("policy")] IPersistentState<ReinforceAgentState> state)
    : TrainedAgentGrain<ReinforceAgentState>(worlds, state), IReinforceAgentGrain
{
    protected override PolicySnapshot Initial(World world, AgentSpec spec)
    {
        using var network = ReinforcePolicyNetwork.Create(world, spec);
        return network.Snapshot(0);
    }
}
