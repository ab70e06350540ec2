using MultiAgentRec.Agents;
using MultiAgentRec.Contracts;
using MultiAgentRec.Simulation;
using static TorchSharp.torch;

namespace MultiAgentRec.Training;

/// <summary>
/// The trainer's side of G REINFORCE agents that share an architecture (<see cref="Architecture"/>):
/// their networks stacked on the training device (<see cref="StackedPolicyNetworks"/>), one Adam over
/// the stack (<see cref="StackedAdam"/>), and each member's experience since its last update. One
/// <see cref="Update"/> takes every member's gradient steps together: step s of an epoch runs
/// minibatch s of every member that has one through a single batched forward and backward pass. Each
/// member keeps its own shuffle (from the run's seed, its id and its version), its own step count and
/// its own hyper-parameters, so a member's parameters follow the same path as when it is trained alone.
/// </summary>
public sealed class ReinforceLearnerGroup : IDisposable
{
    private readonly StackedPolicyNetworks _networks;
    private readonly StackedAdam _optimizer;
    private readonly IStackedPolicyLoss _loss;
    private readonly Device _device;
    private readonly List<TrajectoryBatch>[] _pending;
    private readonly int _seed;
    private readonly ulong[] _keys;
    private readonly int[] _versions;
    private readonly float[] _caps, _entropyWeights, _topK;
    private readonly int _featureSize;
    private readonly int _items, _sampled;
    private static readonly ulong SampleKey = SimRandom.Key("sampled-softmax");

    public int Members { get; }
    public IReadOnlyList<AgentSpec> Agents { get; }

    /// <summary>What must match for two agents to share a stack: the network's shape.</summary>
    public static string Architecture(AgentSpec spec) =>
        FormattableString.Invariant($"reinforce/{(int)spec.Get("hiddenSize", 64)}/{(int)spec.Get("embeddingSize", 32)}/{SampledItems(spec)}");

    /// <summary>
    /// Default of <c>sampledItems</c>, the catalog items a REINFORCE update scores per minibatch step
    /// besides each row's slate (<see cref="SampledSoftmax"/>): 64, so an update's cost does not grow
    /// with the catalog (a catalog of at most 64 items trains on the exact softmax; 0 asks for it
    /// anywhere). What it costs in learning, solo REINFORCE's last-quarter expectedCtr, exact / 64:
    /// with the importance cap at 0.1 (<see cref="DefaultImportanceCap"/>), collaboration.yaml (400
    /// items) seeds 1, 7, 2, 3: 0.5204 / 0.5045, 0.5322 / 0.5089, 0.5108 / 0.5062, 0.4742 / 0.4789
    /// (means 0.5094 / 0.4996); the quickstart (300 items) seeds 42, 1, 2, 3: 0.5114 / 0.4793,
    /// 0.4686 / 0.4715, 0.4730 / 0.4840, 0.4716 / 0.4708 (0.4812 / 0.4764). Both are above the exact
    /// softmax under the earlier cap of 10 (0.5003 and 0.4508). Under that cap a sample cost 0.02–0.06
    /// on collaboration.yaml, and scoring the agent's own proposal candidates exactly as well did not
    /// close it (nor did 399 of the 400 items), so the normaliser's variance was not the cause: the
    /// heavy-tailed importance weights were.
    /// </summary>
    public const int DefaultSampledItems = 64;

    /// <summary>The agent's <c>sampledItems</c>: 0 for the exact softmax over the catalog (default <see cref="DefaultSampledItems"/>).</summary>
    public static int SampledItems(AgentSpec spec) => (int)spec.Get("sampledItems", DefaultSampledItems);

    /// <param name="loss">By default <see cref="PlackettLuceReinforceLoss"/>; offline training passes the IPW learner's.</param>
    public ReinforceLearnerGroup(World world, IReadOnlyList<AgentSpec> agents, Device device, IStackedPolicyLoss? loss = null)
    {
        if (agents.Count == 0) throw new ArgumentException("a learner group needs at least one agent", nameof(agents));
        if (agents.Select(Architecture).Distinct().Count() > 1)
            throw new ArgumentException($"agents of different architectures cannot share a stack: {string.Join(", ", agents.Select(a => $"{a.Id} {Architecture(a)}"))}");
        Members = agents.Count;
        Agents = agents;
        _device = device;
        _loss = loss ?? new PlackettLuceReinforceLoss();
        _featureSize = ReinforcePolicyNetwork.FeatureSize(world);
        _items = world.Catalog.Count;
        // A sample as large as the catalog would only approximate what the exact softmax computes.
        _sampled = SampledItems(agents[0]) is var sampled && sampled < _items ? sampled : 0;
        var initial = agents.Select(a =>
        {
            using var network = ReinforcePolicyNetwork.Create(world, a);
            return network.Snapshot(0);
        }).ToArray();
        var c = world.Catalog;
        _networks = new StackedPolicyNetworks(initial, c.Embeddings, c.Count, c.Dim, world.SlateSize, device);
        _optimizer = new StackedAdam(_networks.Trained, [.. agents.Select(a => a.Get("learningRate", 0.01))]);
        _caps = [.. agents.Select(a => (float)a.Get("importanceCap", DefaultImportanceCap))];
        _entropyWeights = [.. agents.Select(a => (float)a.Get("entropyWeight", DefaultEntropyWeight))];
        _topK = [.. agents.Select(a => a.Get("topKCorrection", 1) != 0 ? 1f : 0f)];
        _pending = [.. agents.Select(_ => new List<TrajectoryBatch>())];
        _seed = world.Seed;
        _keys = [.. agents.Select(a => SimRandom.Key(a.Id))];
        _versions = new int[Members];
    }

    /// <summary>
    /// Default of <c>importanceCap</c>, the largest per-slot importance ratio ρ = π(a_k|s,a_&lt;k)/β_k
    /// before self-normalisation (<see cref="PlackettLuceReinforceLoss"/>). The coordinator's logger is
    /// near-greedy (temperature 0.1), so β_k is close to 1 on the items it favours and small only on
    /// its rare exploratory draws, while π, a softmax over the catalog, puts a few hundredths on
    /// an item it likes: ρ is about 0.01–0.1 on ordinary rows and up to 1/β on the rare ones. A cap of
    /// 10 let those few rows carry a minibatch (self-normalised, a row weighs min(ρ, c)/mean(min(ρ, c)),
    /// and the effective sample size is at least B·mean(w)/max(w)); at 0.1 every row the learner
    /// already gives a tenth of the logger's probability weighs the same, and the rest in proportion.
    /// Chosen from 10, 1, 0.3, 0.1, 0.03, 0.01 by solo REINFORCE's last-quarter expectedCtr: quickstart
    /// seeds 42, 1, 2 (mean 0.4506 at 10, 0.4843 at 0.1), collaboration.yaml seeds 1, 7 (0.5063, 0.5263)
    /// and a 12-segment heterogeneous variant of the quickstart (seed 77: 0.7663, 0.7802); checked
    /// afterwards on quickstart seeds 3, 4 (0.4517 → 0.4716, 0.4576 → 0.4609), collaboration.yaml
    /// seeds 2, 3 (0.5028 → 0.5108, 0.4856 → 0.4742) and a strong-drift and a one-segment variant
    /// (0.3764 → 0.3934, 0.2809 → 0.3297). Inside an ensemble, where the logger is mostly other agents,
    /// it matters more: on the heterogeneous variant with uniform weights, REINFORCE's fair credit
    /// (clicks its own policy would earn) in the last round went from 333 to 872 (solo: 1,574).
    /// The bias is towards the logger's choices: a smaller cap moves the gradient towards
    /// advantage-weighted imitation of the logged slates.
    /// </summary>
    public const double DefaultImportanceCap = 0.1;

    /// <summary>
    /// Default weight of the entropy bonus. A uniform policy over 300 items has entropy ln 300 ≈ 5.7
    /// nats; at 0.001 the bonus is worth ~0.006 of loss, a tenth of a typical click reward's advantage
    /// term, enough to stop collapse onto the logger's few items without flattening what was learned.
    /// </summary>
    public const double DefaultEntropyWeight = 0.001;

    public int Version(int member) => _versions[member];
    public int PendingRows(int member) => _pending[member].Sum(b => b.Rows);
    public void Add(int member, TrajectoryBatch batch) => _pending[member].Add(batch);

    /// <summary>What one member's update did: gradient steps, rows, and the mean loss of its last pass (NaN without rows).</summary>
    public readonly record struct MemberUpdate(int Steps, int Samples, double LastLoss);

    /// <summary>
    /// Runs <paramref name="epochs"/> passes of minibatch steps over every member's pending experience
    /// together, clears it, and bumps the version of each member that had any.
    /// </summary>
    public MemberUpdate[] Update(int epochs, int minibatchSize) => Update(epochs, minibatchSize, TakePending());

    /// <summary>
    /// Hands over every member's pending experience and starts empty lists, so that experience added
    /// while an update of what was taken runs (trainer.overlap) goes to the next update.
    /// </summary>
    public List<TrajectoryBatch>[] TakePending()
    {
        var taken = new List<TrajectoryBatch>[Members];
        for (var m = 0; m < Members; m++) (taken[m], _pending[m]) = (_pending[m], []);
        return taken;
    }

    /// <summary>
    /// <see cref="Update(int, int)"/> on experience taken earlier with <see cref="TakePending"/>. It touches
    /// only <paramref name="pending"/>, the networks, the optimiser and the versions, so <see cref="Add"/>
    /// may run on another thread meanwhile; nothing else may.
    /// </summary>
    public MemberUpdate[] Update(int epochs, int minibatchSize, List<TrajectoryBatch>[] pending)
    {
        if (pending.Length != Members) throw new ArgumentException($"experience for {pending.Length} members, the group has {Members}", nameof(pending));
        var g = Members;
        var rows = new int[g];
        var offsets = new int[g];
        var k = 0;
        for (var m = 0; m < g; m++)
        {
            // Shards report in any order; rows are laid out by (round, shard), so an update is the same
            // on one silo or many.
            pending[m].Sort((x, y) => x.Round != y.Round ? x.Round.CompareTo(y.Round) : x.Shard.CompareTo(y.Shard));
            rows[m] = pending[m].Sum(b => b.Rows);
            offsets[m] = m == 0 ? 0 : offsets[m - 1] + rows[m - 1];
            foreach (var b in pending[m])
            {
                if (b.FeatureDim != _featureSize) throw new ArgumentException($"experience has {b.FeatureDim} features, the network takes {_featureSize}");
                if (k == 0) k = b.SlateSize;
                else if (b.SlateSize != k) throw new ArgumentException($"experience mixes slates of {k} and {b.SlateSize} slots");
            }
        }
        var total = rows.Sum();
        var results = new MemberUpdate[g];
        if (total == 0) return [.. Enumerable.Repeat(new MemberUpdate(0, 0, double.NaN), g)];
        if (k > _networks.Slots) throw new ArgumentException($"experience has slates of {k} slots, the baseline predicts {_networks.Slots}");

        var features = new float[(long)total * _featureSize];
        var actions = new long[total * k];
        var propensities = new float[total * k];
        var rewards = new float[total * k];
        var r = 0;
        for (var m = 0; m < g; m++)
        {
            foreach (var b in pending[m])
            {
                b.Features.CopyTo(features, (long)r * _featureSize);
                for (var i = 0; i < b.Actions.Length; i++) actions[r * k + i] = b.Actions[i];
                b.Propensities.CopyTo(propensities, r * k);
                b.Rewards.CopyTo(rewards, r * k);
                r += b.Rows;
            }
            pending[m].Clear();
        }

        using var scope = NewDisposeScope();
        var x = tensor(features).reshape(total, _featureSize).to(_device);
        var a = tensor(actions).reshape(total, k).to(_device);
        var p = tensor(propensities).reshape(total, k).to(_device);
        var rw = tensor(rewards).reshape(total, k).to(_device);
        var caps = tensor(_caps).to(_device);
        var entropyWeights = tensor(_entropyWeights).to(_device);
        var topK = tensor(_topK).to(_device);

        var stepsPerEpoch = rows.Select(n => (n + minibatchSize - 1) / minibatchSize).ToArray();
        var maxSteps = stepsPerEpoch.Max();
        var steps = new int[g];
        // Losses stay on the device until the end: reading one back per step would stall a GPU every step.
        var lastPassLoss = zeros(g, device: _device);
        var order = new int[g][];
        var scratch = _sampled > 0 ? new int[_items] : [];
        for (var epoch = 0; epoch < epochs; epoch++)
        {
            for (var m = 0; m < g; m++) order[m] = Shuffle(m, epoch, rows[m]);
            var isLast = epoch == epochs - 1;
            for (var s = 0; s < maxSteps; s++)
            {
                using var inner = NewDisposeScope();
                var counts = new int[g];
                var active = new bool[g];
                for (var m = 0; m < g; m++)
                {
                    counts[m] = Math.Clamp(rows[m] - s * minibatchSize, 0, minibatchSize);
                    active[m] = counts[m] > 0;
                }
                var width = counts.Max();
                // Padding rows repeat a member's first row (or row 0) and are masked out of every sum.
                var index = new long[g * width];
                var mask = new float[g * width];
                for (var m = 0; m < g; m++)
                {
                    for (var j = 0; j < width; j++)
                    {
                        var real = j < counts[m];
                        index[m * width + j] = real ? offsets[m] + order[m][s * minibatchSize + j] : (rows[m] > 0 ? offsets[m] : 0);
                        mask[m * width + j] = real ? 1 : 0;
                    }
                    if (active[m]) steps[m]++;
                }
                var idx = tensor(index).to(_device);
                var batch = new StackedMinibatch(
                    a.index_select(0, idx).view(g, width, k),
                    p.index_select(0, idx).view(g, width, k),
                    rw.index_select(0, idx).view(g, width, k),
                    tensor(mask).to(_device).view(g, width),
                    tensor(counts.Select(c => (float)Math.Max(c, 1)).ToArray()).to(_device),
                    caps, entropyWeights, topK);
                _optimizer.ZeroGrad();
                var (scores, baseline) = _networks.Scores(x.index_select(0, idx).view(g, width, _featureSize), batch.Actions, Drawn(epoch, s, scratch));
                var memberLoss = _loss.Loss(scores, baseline.narrow(2, 0, k), batch);
                memberLoss.sum().backward();
                _optimizer.Step(active);
                if (isLast) lastPassLoss.add_(memberLoss.detach(), TorchScalars.One);
            }
        }
        var losses = lastPassLoss.cpu().data<float>().ToArray();
        for (var m = 0; m < g; m++)
        {
            if (rows[m] == 0) { results[m] = new MemberUpdate(0, 0, double.NaN); continue; }
            results[m] = new MemberUpdate(steps[m], rows[m], losses[m] / stepsPerEpoch[m]);
            _versions[m]++;
        }
        return results;
    }

    /// <summary>
    /// Each member's uniform sample of the catalog for one step [G, S] (null under the exact softmax),
    /// from the run's seed, its id, its version, the epoch and the step: the same whether it trains alone or stacked.
    /// </summary>
    private Tensor? Drawn(int epoch, int step, int[] scratch)
    {
        if (_sampled == 0) return null;
        var drawn = new long[Members * _sampled];
        for (var m = 0; m < Members; m++)
        {
            var rng = SimRandom.For(_seed, SimRandom.Mix(_keys[m], SampleKey), (ulong)_versions[m], SimRandom.Mix((ulong)epoch, (ulong)step));
            SampledSoftmax.Draw(_items, ref rng, drawn.AsSpan(m * _sampled, _sampled), scratch);
        }
        return tensor(drawn).view(Members, _sampled).to(_device);
    }

    /// <summary>A member's row order for one epoch, from the run's seed, its id and its version, so training is repeatable.</summary>
    private int[] Shuffle(int member, int epoch, int rows)
    {
        var rng = SimRandom.For(_seed, _keys[member], (ulong)_versions[member], (ulong)epoch);
        var order = new int[rows];
        for (var i = 0; i < rows; i++) order[i] = i;
        for (var i = rows - 1; i > 0; i--) { var j = rng.NextInt(i + 1); (order[i], order[j]) = (order[j], order[i]); }
        return order;
    }

    /// <summary>A member's current policy parameters, versioned, for its agent.</summary>
    public PolicySnapshot Snapshot(int member) => _networks.Snapshot(member, _versions[member]);

    /// <summary>Saves one member's parameters, baseline, optimiser moments, step count and version with TorchSharp's <c>save</c>.</summary>
    public void SaveCheckpoint(int member, string path)
    {
        using var scope = NewDisposeScope();
        using var checkpoint = new LearnerCheckpoint(CheckpointTensors(member));
        // Written beside and renamed, so a run killed mid-save leaves the previous checkpoint intact.
        Checkpoints.WriteAtomically(path, writer => checkpoint.save(writer));
    }

    /// <summary>Restores one member from <see cref="SaveCheckpoint"/>'s file; throws <see cref="InvalidDataException"/> when it is not one of this member's shape.</summary>
    public void LoadCheckpoint(int member, string path)
    {
        using var scope = NewDisposeScope();
        var targets = CheckpointTensors(member);
        using var checkpoint = new LearnerCheckpoint([.. targets.Select(t => (t.Name, zeros_like(t.Tensor, device: CPU)))]);
        try
        {
            checkpoint.load(path);
        }
        catch (Exception e) when (e is IOException or ArgumentException or InvalidOperationException or FormatException or NotSupportedException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"{path}: not a trainer checkpoint of agent '{Agents[member].Id}' with this scenario's shapes ({e.Message.Split('\n', 2)[0].Trim()})", e);
        }
        var loaded = checkpoint.Buffers();
        using (no_grad())
            foreach (var (name, target) in targets) target.copy_(loaded[name]);
        var meta = loaded[LearnerCheckpoint.MetaName].data<long>().ToArray();
        _versions[member] = (int)meta[0];
        _optimizer.Steps[member] = meta[1];
    }

    /// <summary>The member's slices of every stacked tensor (views: writing them writes the stack), plus its meta (version, Adam steps).</summary>
    private (string Name, Tensor Tensor)[] CheckpointTensors(int member)
    {
        var list = new List<(string, Tensor)>();
        var trained = _networks.Trained;
        for (var i = 0; i < trained.Count; i++)
        {
            var (first, second) = _optimizer.Moments(i);
            list.Add(($"p{i}", trained[i].detach()[member]));
            list.Add(($"m{i}", first[member]));
            list.Add(($"v{i}", second[member]));
        }
        list.Add((LearnerCheckpoint.MetaName, tensor(new long[] { _versions[member], _optimizer.Steps[member] })));
        return [.. list];
    }

    public void Dispose()
    {
        _optimizer.Dispose();
        _networks.Dispose();
    }
}
