using MultiAgentRec.Contracts;

namespace MultiAgentRec.Training;

/// <summary>A <see cref="ReinforceLearner"/> seen through <see cref="ITrainerLearner"/>.</summary>
public sealed class ReinforceTrainerLearner(ReinforceLearner learner) : ITrainerLearner
{
    public string Kind => Names.Reinforce;
    public int Version => learner.Version;
    public int PendingRows => learner.PendingRows;
    public void Add(TrajectoryBatch batch) => learner.Add(batch);
    public (int Steps, int Samples, double LastLoss) Update(int epochs, int minibatchSize) => learner.Update(epochs, minibatchSize);
    public PolicySnapshot Snapshot() => learner.Snapshot();
    public void SaveCheckpoint(string path) => learner.SaveCheckpoint(path);
    public void ResumeFrom(string path) => learner.LoadCheckpoint(path);
    public void Dispose() => learner.Dispose();
}
