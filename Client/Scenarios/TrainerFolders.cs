using MultiAgentRec.Contracts;
using MultiAgentRec.Training;

namespace MultiAgentRec.Client.Scenarios;

/// <summary>
/// The trainer's folder keys: <c>trainer.libtorch</c> (a folder with a CUDA libtorch, e.g. a PyTorch
/// install's torch/lib) and <c>trainer.checkpoint</c> (where learners are saved after each update), both
/// relative to the scenario's folder like <c>warmStart</c>; and <c>trainer.resume</c>, which needs a checkpoint.
/// </summary>
internal static class TrainerFolders
{
    public static string? ReadLibtorch(Section trainer, ProblemSink sink)
    {
        if (Folder(trainer, sink, "libtorch", "a folder holding libtorch (e.g. a PyTorch install's torch/lib)") is not { } full) return null;
        if (TorchRuntime.LibtorchProblem(full) is { } problem)
        {
            sink.At(trainer.Value("libtorch"), trainer.ChildPath("libtorch"), problem);
            return null;
        }
        return full;
    }

    public static string? ReadCheckpoint(Section trainer, ProblemSink sink) =>
        Folder(trainer, sink, "checkpoint", "a folder for the trainer's checkpoints");

    public static void CheckResume(Section trainer, TrainerSpec spec, ProblemSink sink)
    {
        if (!spec.Resume) return;
        var node = trainer.Value("resume");
        if (spec.Checkpoint is null)
            sink.At(node, trainer.ChildPath("resume"), "resume: true needs trainer.checkpoint, the folder a previous run wrote its checkpoints to");
        else if (!Directory.Exists(spec.Checkpoint))
            sink.At(node, trainer.ChildPath("resume"), $"nothing to resume from: the checkpoint folder {spec.Checkpoint} does not exist (run once without resume to write it)");
    }

    private static string? Folder(Section trainer, ProblemSink sink, string key, string expected)
    {
        if (trainer.Value(key) is not { } node || Scalars.IsNull(node)) return null;
        if (!Scalars.TryReadText(sink, node, trainer.ChildPath(key), expected, out var text)) return null;
        return Path.GetFullPath(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(sink.File)) ?? ".", text));
    }
}
