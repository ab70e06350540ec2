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
}
