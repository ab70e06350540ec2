using MultiAgentRec.Contracts;
using MultiAgentRec.Simulation;
using static TorchSharp.torch;

namespace MultiAgentRec.Training;

/// <summary>Builds the trainer's learner for an agent from its kind; <c>streamKey</c> (arm and agent id, see CandidateProposers.StreamKey) seeds its sampling.</summary>
public static class TrainerLearners
{
    public static ITrainerLearner Create(World world, AgentSpec agent, Device device, ulong streamKey) => agent.Kind switch
    {
        Names.Reinforce => new ReinforceTrainerLearner(new ReinforceLearner(world, agent, device)),
        Names.Dqn or Names.SlateQ => new ValueLearner(world, agent, device, streamKey),
        _ => throw new ArgumentException($"agent kind '{agent.Kind}' is not trained by the trainer", nameof(agent)),
    };
}
