using System.Diagnostics;

namespace MultiAgentRec.Training;

/// <summary>
/// One training point's update of a set of REINFORCE learner groups, in their order: inline
/// (round-synchronous, the default) or in the background (trainer.overlap). Either way each group
/// first takes its pending experience, so experience added later goes to the next update, and the
/// update runs with the configured torch thread count on the thread that runs it.
/// </summary>
public static class GroupUpdates
{
    /// <summary>Takes every group's pending experience and updates the groups on the calling thread.</summary>
    public static GroupUpdate[] Run(IReadOnlyList<ReinforceLearnerGroup> groups, int epochs, int minibatchSize) =>
        Run(groups, Take(groups), epochs, minibatchSize);

    /// <summary>
    /// Takes every group's pending experience now, on the calling thread, and updates the groups on a
    /// pool thread. Until the task completes the caller may <see cref="ReinforceLearnerGroup.Add"/>
    /// experience to the groups and must not touch them otherwise (snapshots, checkpoints, updates).
    /// </summary>
    public static Task<GroupUpdate[]> Start(IReadOnlyList<ReinforceLearnerGroup> groups, int epochs, int minibatchSize)
    {
        var taken = Take(groups);
        return Task.Run(() => Run(groups, taken, epochs, minibatchSize));
    }

    private static List<Contracts.TrajectoryBatch>[][] Take(IReadOnlyList<ReinforceLearnerGroup> groups) => [.. groups.Select(g => g.TakePending())];

    private static GroupUpdate[] Run(IReadOnlyList<ReinforceLearnerGroup> groups, List<Contracts.TrajectoryBatch>[][] taken, int epochs, int minibatchSize)
    {
        // libtorch's thread count is per OS thread (TorchRuntime.UseConfiguredThreads): set it where the update runs.
        TorchRuntime.UseConfiguredThreads();
        var done = new GroupUpdate[groups.Count];
        for (var i = 0; i < groups.Count; i++)
        {
            var started = Stopwatch.GetTimestamp();
            var members = groups[i].Update(epochs, minibatchSize, taken[i]);
            done[i] = new GroupUpdate(groups[i], members, Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
        return done;
    }
}
