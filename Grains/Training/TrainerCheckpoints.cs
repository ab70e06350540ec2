using MultiAgentRec.Agents;
using MultiAgentRec.Contracts;
using MultiAgentRec.Simulation;

namespace MultiAgentRec.Training;

/// <summary>
/// Where the trainer keeps a learner's checkpoint: <c>{folder}/{arm}/{agentId}.ckpt</c>, one file per
/// agent of each arm (':' of "solo:x" written as '-', so the names are valid on every file system).
/// A run with <c>trainer.resume</c> starts each learner and its agent from the file when there is one.
/// </summary>
public static class TrainerCheckpoints
{
    public static string PathFor(string folder, string arm, string agentId) =>
        Path.Combine(folder, arm.Replace(':', '-'), agentId + ".ckpt");

    /// <summary>The file a resuming run (<c>trainer.resume</c>) starts agent <paramref name="agentId"/> of <paramref name="arm"/> from; null without resume or without a file.</summary>
    public static string? ToResume(TrainerSpec trainer, string arm, string agentId) =>
        trainer is { Resume: true, Checkpoint: { } folder } && PathFor(folder, arm, agentId) is var path && File.Exists(path) ? path : null;

    /// <summary>
    /// The policy an agent grain starts a resuming run with: its learner's, restored on the CPU from
    /// <see cref="ToResume"/>'s file, whatever the trained kind; null when there is nothing to resume.
    /// </summary>
    public static PolicySnapshot? ResumedSnapshot(World world, AgentSpec agent, string arm)
    {
        if (ToResume(world.Spec.Trainer, arm, agent.Id) is not { } path) return null;
        using var learner = TrainerLearners.Create(world, agent, TorchSharp.torch.CPU, CandidateProposers.StreamKey(arm, agent.Id));
        learner.ResumeFrom(path);
        return learner.Snapshot();
    }
}
