using MultiAgentRec.Contracts;

namespace MultiAgentRec.Training;

/// <summary>
/// An <see cref="ITrainerLearner"/> whose update can run on a pool thread while the next rounds'
/// experience arrives (trainer.overlap): <see cref="Start"/> updates on what is pending; until
/// <see cref="Collect"/>, experience added waits here, so the learner itself is touched only by the
/// update, and goes to the learner (and so to the next update) when the update is collected. Idle, it
/// passes every call through. Not thread-safe: one caller (a grain, or the tight loop) drives it.
/// </summary>
public sealed class OverlappingLearner(ITrainerLearner learner) : ITrainerLearner
{
    private readonly List<TrajectoryBatch> _arriving = [];
    private Task<(int Steps, int Samples, double LastLoss, double Seconds)>? _running;

    public string Kind => learner.Kind;
    public int Version => Idle().Version;
    public int PendingRows => _running is null ? learner.PendingRows : _arriving.Sum(b => b.Rows);

    /// <summary>Completes when the update started by <see cref="Start"/> has ended (at once when none runs).</summary>
    public Task Running => _running ?? Task.CompletedTask;

    public bool IsUpdating => _running is not null;

    public void Add(TrajectoryBatch batch)
    {
        if (_running is null) learner.Add(batch);
        else _arriving.Add(batch);
    }

    /// <summary>Starts an update of the pending experience on a pool thread, with the configured torch threads there.</summary>
    public void Start(int epochs, int minibatchSize)
    {
        if (_running is not null) throw new InvalidOperationException("an update is already running; collect it first");
        _running = Task.Run(() => Timed(learner, epochs, minibatchSize));
    }

    /// <summary>An update on the calling thread (round-synchronous), as <see cref="Start"/> runs one on a pool thread.</summary>
    public (int Steps, int Samples, double LastLoss, double Seconds) UpdateTimed(int epochs, int minibatchSize) => Timed(Idle(), epochs, minibatchSize);

    // libtorch's thread count is per OS thread (TorchRuntime.UseConfiguredThreads): set it where the update runs.
    private static (int Steps, int Samples, double LastLoss, double Seconds) Timed(ITrainerLearner learner, int epochs, int minibatchSize)
    {
        TorchRuntime.UseConfiguredThreads();
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var (steps, samples, loss) = learner.Update(epochs, minibatchSize);
        return (steps, samples, loss, System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds);
    }

    /// <summary>
    /// The ended update's result and the seconds it took (null when none was started), after handing the experience that arrived
    /// meanwhile to the learner. Call it once <see cref="Running"/> has completed; rethrows the update's failure.
    /// </summary>
    public (int Steps, int Samples, double LastLoss, double Seconds)? Collect()
    {
        if (_running is not { } running) return null;
        if (!running.IsCompleted) throw new InvalidOperationException("the update has not ended; await Running first");
        _running = null;
        foreach (var batch in _arriving) learner.Add(batch);
        _arriving.Clear();
        return running.GetAwaiter().GetResult();
    }

    public (int Steps, int Samples, double LastLoss) Update(int epochs, int minibatchSize) => Idle().Update(epochs, minibatchSize);
    public PolicySnapshot Snapshot() => Idle().Snapshot();
    public void SaveCheckpoint(string path) => Idle().SaveCheckpoint(path);
    public void ResumeFrom(string path) => Idle().ResumeFrom(path);

    public void Dispose()
    {
        // An update still running uses the networks freed below: let it end first. Its failure is not the
        // disposer's: whoever started it collects it, and a run that ends without doing so has ended anyway.
        try { _running?.Wait(); }
        catch (AggregateException) { }
        learner.Dispose();
    }

    private ITrainerLearner Idle() => _running is null ? learner : throw new InvalidOperationException("the learner is being updated in the background");
}
