using MultiAgentRec.Agents;
using MultiAgentRec.Contracts;
using MultiAgentRec.Simulation;
using TorchSharp;
using static TorchSharp.torch;

namespace MultiAgentRec.Training;

/// <summary>
/// The trainer's side of one REINFORCE agent: the master copy of its network on the training
/// device, its Adam optimiser, and the experience submitted since the last update.
/// </summary>
public sealed class ReinforceLearner : IDisposable
{
    private readonly ReinforcePolicyNetwork _network;
    private readonly optim.Optimizer _optimizer;
    private readonly Device _device;
    private readonly Func<ReinforcePolicyNetwork, Tensor, Tensor, Tensor, Tensor, Tensor> _loss;
    private readonly List<TrajectoryBatch> _pending = [];
    private readonly int _seed;
    private readonly ulong _key;

    public int Version { get; private set; }
    public int PendingRows => _pending.Sum(b => b.Rows);

    /// <param name="loss">
    /// The loss of one minibatch (policy, features, actions, propensities, rewards); by default REINFORCE
    /// with the top-K correction. Offline training passes the IPW learner's to train a baseline the same way.
    /// </param>
    public ReinforceLearner(World world, AgentSpec spec, Device device, Func<ReinforcePolicyNetwork, Tensor, Tensor, Tensor, Tensor, Tensor>? loss = null)
    {
        var importanceCap = spec.Get("importanceCap", 10);
        _loss = loss ?? ((policy, x, a, p, r) => ReinforceWithTopKCorrection.Loss(policy, x, a, p, r, importanceCap));
        _device = device;
        _network = ReinforcePolicyNetwork.Create(world, spec);
        _network.to(device);
        _optimizer = optim.Adam(_network.parameters(), spec.Get("learningRate", 0.01));
        _seed = world.Seed;
        _key = SimRandom.Key(spec.Id);
    }

    public void Add(TrajectoryBatch batch) => _pending.Add(batch);

    /// <summary>
    /// Runs <paramref name="epochs"/> passes of minibatch gradient steps over the pending experience,
    /// clears it, and returns the number of steps and the mean loss of the last pass.
    /// </summary>
    public (int Steps, int Samples, double LastLoss) Update(int epochs, int minibatchSize)
    {
        if (_pending.Count == 0) return (0, 0, double.NaN);
        // Shards report in any order; rows are laid out by (round, shard), so an update is the same
        // on one silo or many.
        _pending.Sort((x, y) => x.Round != y.Round ? x.Round.CompareTo(y.Round) : x.Shard.CompareTo(y.Shard));
        var rows = PendingRows;
        var featureDim = _pending[0].FeatureDim;
        var k = _pending[0].SlateSize;
        var features = new float[rows * featureDim];
        var actions = new long[rows * k];
        var propensities = new float[rows * k];
        var rewards = new float[rows * k];
        var r = 0;
        foreach (var b in _pending)
        {
            b.Features.CopyTo(features, r * featureDim);
            for (var i = 0; i < b.Actions.Length; i++) actions[r * k + i] = b.Actions[i];
            b.Propensities.CopyTo(propensities, r * k);
            b.Rewards.CopyTo(rewards, r * k);
            r += b.Rows;
        }
        _pending.Clear();

        using var scope = NewDisposeScope();
        var x = tensor(features).reshape(rows, featureDim).to(_device);
        var a = tensor(actions).reshape(rows, k).to(_device);
        var p = tensor(propensities).reshape(rows, k).to(_device);
        var rw = tensor(rewards).reshape(rows, k).to(_device);

        var steps = 0;
        double lastPassLoss = double.NaN;
        var order = new long[rows];
        for (var epoch = 0; epoch < epochs; epoch++)
        {
            // Shuffle with the run's seed so training is repeatable.
            var rng = SimRandom.For(_seed, _key, (ulong)Version, (ulong)epoch);
            for (var i = 0; i < rows; i++) order[i] = i;
            for (var i = rows - 1; i > 0; i--) { var j = rng.NextInt(i + 1); (order[i], order[j]) = (order[j], order[i]); }
            var permutation = tensor(order).to(_device);
            double passLoss = 0;
            var batches = 0;
            for (var start = 0; start < rows; start += minibatchSize)
            {
                using var inner = NewDisposeScope();
                var idx = permutation.narrow(0, start, Math.Min(minibatchSize, rows - start));
                _optimizer.zero_grad();
                var loss = _loss(_network, x.index_select(0, idx), a.index_select(0, idx), p.index_select(0, idx), rw.index_select(0, idx));
                loss.backward();
                _optimizer.step();
                passLoss += loss.item<float>();
                batches++;
                steps++;
            }
            lastPassLoss = passLoss / batches;
        }
        Version++;
        return (steps, rows, lastPassLoss);
    }

    /// <summary>The current parameters, versioned, for the agent.</summary>
    public PolicySnapshot Snapshot() => _network.Snapshot(Version);

    public void Dispose()
    {
        _optimizer.Dispose();
        _network.Dispose();
    }
}
