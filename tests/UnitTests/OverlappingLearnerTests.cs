using MultiAgentRec.Contracts;
using MultiAgentRec.Training;

namespace MultiAgentRec.UnitTests;

/// <summary>trainer.overlap for learners of their own (DQN, SlateQ): experience that arrives while an update runs waits for the next one.</summary>
public sealed class OverlappingLearnerTests
{
    /// <summary>A learner that records what each update consumed; its update waits until the test lets it go.</summary>
    private sealed class RecordingLearner : ITrainerLearner
    {
        private readonly List<TrajectoryBatch> _pending = [];
        public readonly List<int[]> Updates = [];
        public readonly ManualResetEventSlim Release = new(initialState: true);
        public string Kind => Names.Dqn;
        public int Version { get; private set; }
        public int PendingRows => _pending.Sum(b => b.Rows);
        public void Add(TrajectoryBatch batch) => _pending.Add(batch);

        public (int Steps, int Samples, double LastLoss) Update(int epochs, int minibatchSize)
        {
            Release.Wait();
            var rounds = _pending.Select(b => b.Round).ToArray();
            var rows = PendingRows;
            _pending.Clear();
            Updates.Add(rounds);
            Version++;
            return (1, rows, 0.5);
        }

        public PolicySnapshot Snapshot() => new(Version, []);
        public void SaveCheckpoint(string path) { }
        public void ResumeFrom(string path) { }
        public void Dispose() => Release.Dispose();
    }

    private static TrajectoryBatch Rows(int rows, int round) => new(rows, 1, new float[rows], 1, new int[rows], new float[rows], new float[rows], round);

    [Fact]
    public async Task Experience_added_while_an_update_runs_goes_to_the_next_update()
    {
        var inner = new RecordingLearner();
        using var learner = new OverlappingLearner(inner);
        learner.Add(Rows(10, round: 0));

        inner.Release.Reset();
        learner.Start(epochs: 1, minibatchSize: 8);
        // The update is held inside the learner: what arrives now must not reach it.
        learner.Add(Rows(7, round: 1));
        learner.Add(Rows(5, round: 1));
        Assert.True(learner.IsUpdating);
        Assert.Equal(12, learner.PendingRows);
        Assert.Throws<InvalidOperationException>(() => learner.Snapshot());
        Assert.Throws<InvalidOperationException>(() => learner.Collect());
        inner.Release.Set();
        await learner.Running;

        Assert.Equal((1, 10, 0.5, true), learner.Collect() is { } done ? (done.Steps, done.Samples, done.LastLoss, done.Seconds >= 0) : default);
        Assert.False(learner.IsUpdating);
        Assert.Equal(12, inner.PendingRows);
        Assert.Equal(1, learner.Snapshot().Version);
        Assert.Null(learner.Collect());

        var next = learner.Update(epochs: 1, minibatchSize: 8);
        Assert.Equal(12, next.Samples);
        Assert.Equal([[0], [1, 1]], inner.Updates);
    }

    [Fact]
    public async Task A_failed_background_update_fails_its_collection()
    {
        using var learner = new OverlappingLearner(new FailingLearner());
        learner.Add(Rows(3, round: 0));
        learner.Start(1, 8);

        await Assert.ThrowsAsync<InvalidDataException>(() => learner.Running);
        Assert.Throws<InvalidDataException>(() => learner.Collect());
    }

    private sealed class FailingLearner : ITrainerLearner
    {
        public string Kind => Names.Dqn;
        public int Version => 0;
        public int PendingRows => 3;
        public void Add(TrajectoryBatch batch) { }
        public (int Steps, int Samples, double LastLoss) Update(int epochs, int minibatchSize) => throw new InvalidDataException("bad experience");
        public PolicySnapshot Snapshot() => new(0, []);
        public void SaveCheckpoint(string path) { }
        public void ResumeFrom(string path) { }
        public void Dispose() { }
    }
}
