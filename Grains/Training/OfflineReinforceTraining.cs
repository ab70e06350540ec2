using MultiAgentRec.Agents;
using MultiAgentRec.Contracts;
using MultiAgentRec.Evaluation;
using MultiAgentRec.Simulation;
using static TorchSharp.torch;

namespace MultiAgentRec.Training;

/// <summary>
/// Trains a REINFORCE agent from logged feedback before it meets users: the same learner and loss the
/// trainer grain uses online (REINFORCE with the top-K off-policy correction, importance weights
/// against the log's propensities), run for a number of epochs over the whole log, then saved with
/// TorchSharp's <c>save</c>. A scenario's agent starts from the file with <c>warmStart:</c>.
/// The log must come from the scenario's world: its user features are the agent's inputs
/// (profile, then one-hot segment, as <c>simulate-logs</c> writes them) and its items the catalog.
/// </summary>
public static class OfflineReinforceTraining
{
    public static (int Steps, double LastLoss) TrainAndSave(World world, AgentSpec agent, BanditFeedback log, int epochs, int minibatchSize, string path)
    {
        var featureSize = ReinforcePolicyNetwork.FeatureSize(world);
        if (log.Items != world.Catalog.Count)
            throw new LogFormatException(log.Source, 0, $"mismatched item counts: the log has {log.Items} items, the scenario's catalog {world.Catalog.Count}");
        if (log.ContextDim != featureSize)
            throw new LogFormatException(log.Source, 0,
                $"the log has {log.ContextDim} user features, the agent observes {featureSize} (profile of {world.Catalog.Dim}, then {world.Spec.Users.Segments} segments): use a log written by simulate-logs for this scenario");

        var features = new float[log.Rows * featureSize];
        for (var r = 0; r < log.Rows; r++)
        {
            var x = log.Context[r];
            for (var j = 0; j < x.Count; j++) features[r * featureSize + x.Indices[j]] = (float)x.Values[j];
        }
        var batch = new TrajectoryBatch(log.Rows, featureSize, features, 1, log.Item,
            log.Propensity.Select(p => (float)p).ToArray(), log.Reward.Select(r => (float)r).ToArray());

        // Start from the scenario's own initialisation, never from another warm start.
        var cold = agent with { WarmStart = null };
        using var learner = new ReinforceLearner(world, cold, CPU);
        learner.Add(batch);
        var (steps, _, lastLoss) = learner.Update(epochs, minibatchSize);
        using var network = ReinforcePolicyNetwork.Create(world, cold);
        network.Load(learner.Snapshot());
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null) Directory.CreateDirectory(folder);
        network.save(path);
        return (steps, lastLoss);
    }
}
