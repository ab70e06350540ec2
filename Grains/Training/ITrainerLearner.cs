using MultiAgentRec.Contracts;

namespace MultiAgentRec.Training;

/// <summary>
/// The trainer's side of one agent it trains, whatever the kind: experience goes in, an update turns
/// it into new parameters, and a versioned snapshot goes back to the agent.
/// </summary>
public interface ITrainerLearner : IDisposable
{
    /// <summary>The agent kind this learner trains.</summary>
    string Kind { get; }
    int Version { get; }
    int PendingRows { get; }
    void Add(TrajectoryBatch batch);

    /// <summary>Learns from the pending experience and clears it: gradient steps, rows consumed, and a representative loss.</summary>
    /// <param name="epochs">The trainer's <c>epochs</c> (REINFORCE's passes; value learners take their own step count).</param>
    /// <param name="minibatchSize">The trainer's <c>minibatchSize</c> (REINFORCE's; value learners take their own).</param>
    (int Steps, int Samples, double LastLoss) Update(int epochs, int minibatchSize);

    PolicySnapshot Snapshot();

    /// <summary>Saves the learner's whole state (trainer.checkpoint), so that <see cref="LoadCheckpoint"/> continues exactly.</summary>
    void SaveCheckpoint(string path);

    /// <summary>
    /// Restores <see cref="SaveCheckpoint"/>'s file (<see cref="InvalidDataException"/> naming it when it
    /// does not fit) for a new run that starts at round 0 (trainer.resume).
    /// </summary>
    void ResumeFrom(string path);
}
