using MultiAgentRec.Contracts;
using MultiAgentRec.Simulation;
using static TorchSharp.torch;

namespace MultiAgentRec.Training;

/// <summary>
/// The trainer's side of one REINFORCE agent: a <see cref="ReinforceLearnerGroup"/> of one (the master
/// copy of its network on the training device, its Adam state, and the experience submitted since the
/// last update). Offline training and tests use it; the trainer grain stacks agents that share an
/// architecture into one group.
/// </summary>
public sealed class ReinforceLearner : IDisposable
{
    private readonly ReinforceLearnerGroup _group;

    /// <param name="loss">By default <see cref="PlackettLuceReinforceLoss"/>; offline training passes the IPW learner's.</param>
    public ReinforceLearner(World world, AgentSpec spec, Device device, IStackedPolicyLoss? loss = null) =>
        _group = new ReinforceLearnerGroup(world, [spec], device, loss);

    public int Version => _group.Version(0);
    public int PendingRows => _group.PendingRows(0);

    public void Add(TrajectoryBatch batch) => _group.Add(0, batch);

    /// <summary>
    /// Runs <paramref name="epochs"/> passes of minibatch gradient steps over the pending experience,
    /// clears it, and returns the number of steps and the mean loss of the last pass.
    /// </summary>
    public (int Steps, int Samples, double LastLoss) Update(int epochs, int minibatchSize)
    {
        var u = _group.Update(epochs, minibatchSize)[0];
        return (u.Steps, u.Samples, u.LastLoss);
    }

    /// <summary>The current parameters, versioned, for the agent.</summary>
    public PolicySnapshot Snapshot() => _group.Snapshot(0);

    public void SaveCheckpoint(string path) => _group.SaveCheckpoint(0, path);
    public void LoadCheckpoint(string path) => _group.LoadCheckpoint(0, path);

    public void Dispose() => _group.Dispose();
}
