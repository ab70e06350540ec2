using MultiAgentRec.Agents;
using MultiAgentRec.Contracts;
using MultiAgentRec.Hosting;
using MultiAgentRec.Simulation;

namespace MultiAgentRec.Grains;

/// <summary>
/// A DQN or SlateQ agent: a <see cref="TrainedAgentGrain{TState}"/> whose item-wise value networks
/// start from the run's seed (<see cref="ValueNetworks.Initial"/>); shards score with them in
/// <see cref="ValueScorer"/>.
/// </summary>
public sealed class ValueAgentGrain(WorldCache worlds, [PersistentState("value-agent")] IPersistentState<ValueAgentState> state)
    : TrainedAgentGrain<ValueAgentState>(worlds, state), IValueAgentGrain
{
    protected override PolicySnapshot Initial(World world, AgentSpec spec) => ValueNetworks.Initial(world, spec);
}
