using MultiAgentRec.Agents;
using MultiAgentRec.Simulation;

namespace MultiAgentRec.Evaluation;

/// <summary>
/// A REINFORCE agent's policy as an evaluation policy: π(a | x) = softmax over the catalog of the
/// network's logits for the row's user features, the same at every slot (the agent ranks one softmax).
/// The logits come from <see cref="PolicyScorer"/>, the plain C# forward pass the agents already use
/// online, so evaluation needs no second implementation of the network and no TorchSharp call per row.
/// The log must come from the scenario's world: <c>simulate-logs</c> writes as user features exactly
/// what the agent observes (profile, then one-hot segment; see <see cref="PolicyFeatures"/>).
/// </summary>
public static class AgentPolicy
{
    /// <summary>Per row × item (row-major): π(a | xᵢ), softmax of the scorer's logits for row i's features.</summary>
    public static double[] ActionProbabilities(BanditFeedback log, PolicyScorer scorer, World world)
    {
        CheckLogMatches(log, world);
        int items = log.Items, featureSize = PolicyFeatures.Size(world);
        var p = new double[log.Rows * items];
        var features = new float[featureSize];
        var logits = new float[scorer.PaddedItems];
        for (var r = 0; r < log.Rows; r++)
        {
            Array.Clear(features);
            var x = log.Context[r];
            for (var j = 0; j < x.Count; j++) features[x.Indices[j]] = (float)x.Values[j];
            scorer.Logits(features, logits);
            // Softmax in double, shifted by the largest logit so no exponential overflows.
            var row = p.AsSpan(r * items, items);
            var max = float.NegativeInfinity;
            for (var a = 0; a < items; a++) max = Math.Max(max, logits[a]);
            double sum = 0;
            for (var a = 0; a < items; a++) sum += row[a] = Math.Exp((double)logits[a] - max);
            for (var a = 0; a < items; a++) row[a] /= sum;
        }
        return p;
    }

    /// <summary>
    /// Throws <see cref="LogFormatException"/> unless the log's items are the scenario's catalog and its
    /// user features are the agent's inputs: otherwise the logits would be computed from the wrong
    /// columns and the estimates would be silently meaningless (e.g. on an Open Bandit Dataset log).
    /// </summary>
    public static void CheckLogMatches(BanditFeedback log, World world)
    {
        var featureSize = PolicyFeatures.Size(world);
        if (log.Items != world.Catalog.Count)
            throw new LogFormatException(log.Source, 0,
                $"mismatched item counts: the log has {log.Items} items, the scenario's catalog (the agent's network) {world.Catalog.Count}");
        if (log.ContextDim != featureSize)
            throw new LogFormatException(log.Source, 0,
                $"the log has {log.ContextDim} user features, the agent's network takes {featureSize} (profile of {world.Catalog.Dim}, then {world.Spec.Users.Segments} segments): evaluate an agent on a log written by simulate-logs for its scenario");
    }
}
