using MultiAgentRec.Agents;
using MultiAgentRec.Contracts;
using MultiAgentRec.Evaluation;
using MultiAgentRec.Simulation;
using static TorchSharp.torch;

namespace MultiAgentRec.Training;

/// <summary>
/// Trains a REINFORCE agent's network from logged feedback before it meets users, then saves it with
/// TorchSharp's <c>save</c>. Two learners: <c>reinforce</c>, the same learner and loss the trainer grain
/// uses online (off-policy REINFORCE with Plackett-Luce conditionals, a learned baseline and an
/// entropy bonus: <see cref="PlackettLuceReinforceLoss"/>), and <c>ipw</c>, the IPW learner baseline (<see cref="IpwLearnerLoss"/>). A scenario's agent starts from the file with <c>warmStart:</c>.
/// The log must come from the scenario's world: its user features are the agent's inputs
/// (profile, then one-hot segment, as <c>simulate-logs</c> writes them) and its items the catalog.
/// </summary>
public static class OfflineReinforceTraining
{
    public const string Reinforce = "reinforce";
    public const string Ipw = "ipw";

    /// <summary>Learners train-offline offers.</summary>
    public static readonly string[] Learners = [Reinforce, Ipw];

    /// <summary>Trains with <paramref name="learner"/> and saves the network to <paramref name="path"/>.</summary>
    public static (int Steps, double LastLoss) TrainAndSave(World world, AgentSpec agent, BanditFeedback log, string learner, int epochs, int minibatchSize, string path)
    {
        var (network, steps, lastLoss) = Train(world, agent, log, learner, epochs, minibatchSize);
        using (network)
        {
            var folder = Path.GetDirectoryName(Path.GetFullPath(path));
            if (folder is not null) Directory.CreateDirectory(folder);
            network.save(path);
        }
        return (steps, lastLoss);
    }

    /// <summary>The trained network (the caller disposes it), the gradient steps taken and the last epoch's mean loss.</summary>
    public static (ReinforcePolicyNetwork Network, int Steps, double LastLoss) Train(World world, AgentSpec agent, BanditFeedback log, string learner, int epochs, int minibatchSize)
    {
        var batch = Batch(world, log);
        // Start from the scenario's own initialisation, never from another warm start.
        var cold = agent with { WarmStart = null };
        IStackedPolicyLoss? loss = learner switch
        {
            Reinforce => null,
            Ipw => new IpwLearnerLoss(),
            _ => throw new ArgumentException($"unknown learner '{learner}' (learners: {string.Join(", ", Learners)})", nameof(learner)),
        };
        // The trainer's own learner (minibatches shuffled from the run's seed, Adam), so offline
        // training is repeatable and matches what the agent's updates do online.
        using var trainer = new ReinforceLearner(world, cold, CPU, loss);
        trainer.Add(batch);
        var (steps, _, lastLoss) = trainer.Update(epochs, minibatchSize);
        var network = ReinforcePolicyNetwork.Create(world, cold);
        network.Load(trainer.Snapshot());
        return (network, steps, lastLoss);
    }

    private static TrajectoryBatch Batch(World world, BanditFeedback log)
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
        return new TrajectoryBatch(log.Rows, featureSize, features, 1, log.Item,
            log.Propensity.Select(p => (float)p).ToArray(), log.Reward.Select(r => (float)r).ToArray());
    }
}
