using MultiAgentRec.Contracts;
using MultiAgentRec.Simulation;
using MultiAgentRec.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MultiAgentRec.Agents;

/// <summary>
/// The REINFORCE agent's policy: a two-tower softmax over the whole catalog.
/// User tower: [profile, one-hot segment] → ReLU MLP → vector; item tower: a learned projection of
/// the catalog embeddings plus a per-item bias. logits = user · itemsᵀ + bias; π = softmax(logits).
/// One forward pass scores a whole round of users at once.
/// </summary>
public sealed class ReinforcePolicyNetwork : nn.Module<Tensor, Tensor>
{
    private readonly Linear _hidden;
    private readonly Linear _userOut;
    private readonly Linear _itemProjection;
    private readonly Parameter _itemBias;
    private readonly Tensor _itemFeatures;

    public int InputSize { get; }
    public int Items { get; }

    public ReinforcePolicyNetwork(int inputSize, int hiddenSize, int embeddingSize, float[] itemEmbeddings, int items, int itemDim)
        : base(nameof(ReinforcePolicyNetwork))
    {
        InputSize = inputSize;
        Items = items;
        _hidden = nn.Linear(inputSize, hiddenSize);
        _userOut = nn.Linear(hiddenSize, embeddingSize);
        _itemProjection = nn.Linear(itemDim, embeddingSize, hasBias: false);
        _itemBias = new Parameter(zeros(items));
        using var flatFeatures = tensor(itemEmbeddings);
        _itemFeatures = flatFeatures.reshape(items, itemDim);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var h = nn.functional.relu(_hidden.forward(input));
        var user = _userOut.forward(h);
        var items = _itemProjection.forward(_itemFeatures);
        return user.matmul(items.t()).add(_itemBias, TorchScalars.One).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Builds the network for an agent with weights drawn from the run's seed (Glorot-uniform, zero
    /// biases) rather than torch's global generator, so the agent and the trainer, on any silo,
    /// start from the same parameters without sharing state; or, with a warm start, from the saved
    /// network (trained offline by OfflineReinforceTraining).
    /// </summary>
    public static ReinforcePolicyNetwork Create(World world, AgentSpec spec)
    {
        var c = world.Catalog;
        var net = new ReinforcePolicyNetwork(
            FeatureSize(world), (int)spec.Get("hiddenSize", 64), (int)spec.Get("embeddingSize", 32), c.Embeddings, c.Count, c.Dim);
        net.InitializeGlorot(SimRandom.For(world.Seed, SimRandom.Key("reinforce-init"), SimRandom.Key(spec.Id)));
        // Loaded here, so the agent grain and the trainer's master copy both start from the file.
        if (spec.WarmStart is { } path) net.load(path);
        return net;
    }

    /// <summary>
    /// Overwrites every weight matrix with Glorot-uniform values, U(±√(6 / (fan_in + fan_out))), and every
    /// bias with zeros, drawn in parameter order from <paramref name="rng"/> (not torch's global generator).
    /// </summary>
    public void InitializeGlorot(SimRandom rng)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        foreach (var p in parameters())
        {
            var values = new float[p.numel()];
            if (p.dim() == 2)
            {
                var limit = Math.Sqrt(6.0 / (p.shape[0] + p.shape[1]));
                for (var i = 0; i < values.Length; i++) values[i] = (float)((2 * rng.NextDouble() - 1) * limit);
            }
            p.copy_(tensor(values).reshape(p.shape));
        }
    }

    /// <summary>Feature size: the observed profile plus a one-hot segment (see <see cref="PolicyFeatures"/>).</summary>
    public static int FeatureSize(World world) => PolicyFeatures.Size(world);

    /// <summary>A copy of every parameter, for pushing to an agent.</summary>
    public PolicySnapshot Snapshot(int version)
    {
        using var scope = NewDisposeScope();
        var tensors = named_parameters()
            .Select(np => new NamedTensor(np.name, np.parameter.shape, np.parameter.detach().cpu().data<float>().ToArray()))
            .ToArray();
        return new PolicySnapshot(version, tensors);
    }

    /// <summary>Overwrites the parameters with a snapshot's.</summary>
    public void Load(PolicySnapshot snapshot)
    {
        var parameters = named_parameters().ToDictionary(np => np.name, np => np.parameter);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        foreach (var t in snapshot.Tensors)
        {
            if (!parameters.TryGetValue(t.Name, out var p)) throw new InvalidOperationException($"snapshot has unknown parameter '{t.Name}'");
            p.copy_(tensor(t.Values).reshape(t.Shape));
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _itemFeatures.Dispose();
        base.Dispose(disposing);
    }
}
