using MultiAgentRec.Agents;
using MultiAgentRec.Contracts;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MultiAgentRec.Training;

/// <summary>
/// The policy networks of G REINFORCE agents that share an architecture, stacked: every parameter of
/// <see cref="ReinforcePolicyNetwork"/> gains a leading member dimension, so one batched matmul
/// (<c>bmm</c>) runs the forward pass of all G agents at once on the training device. Each member also
/// has a learned baseline, a linear regressor from the features to the expected reward of each slot
/// (zero-initialised; trained, not used by the agent, so it is not part of the agent's snapshot).
/// Member g's slices are exactly the parameters a <see cref="ReinforcePolicyNetwork"/> would hold, so
/// snapshots go back and forth under the same names.
/// </summary>
public sealed class StackedPolicyNetworks : nn.Module
{
    /// <summary>Parameter names of <see cref="ReinforcePolicyNetwork"/> (without the leading '_'), in stacking order.</summary>
    public static readonly string[] PolicyNames = ["hidden.weight", "hidden.bias", "userOut.weight", "userOut.bias", "itemProjection.weight", "itemBias"];

    private readonly Parameter[] _policy;
    private readonly Parameter _baselineWeight, _baselineBias;
    private readonly Tensor _itemFeatures;
    private readonly string[] _snapshotNames;

    public int Members { get; }
    public int Slots { get; }
    /// <summary>The catalog's size N.</summary>
    public long Items => _itemFeatures.shape[0];

    /// <param name="initial">Each member's starting parameters (a <see cref="ReinforcePolicyNetwork"/> snapshot).</param>
    /// <param name="itemEmbeddings">The catalog's embeddings, items × itemDim, row-major.</param>
    public StackedPolicyNetworks(IReadOnlyList<PolicySnapshot> initial, float[] itemEmbeddings, int items, int itemDim, int slots, Device device)
        : base(nameof(StackedPolicyNetworks))
    {
        Members = initial.Count;
        Slots = slots;
        var first = initial[0].Tensors.ToDictionary(t => t.Name.TrimStart('_'), StringComparer.Ordinal);
        _snapshotNames = PolicyNames.Select(n => first.TryGetValue(n, out var t) ? t.Name
            : throw new InvalidOperationException($"policy snapshot has no '{n}'")).ToArray();
        _policy = new Parameter[PolicyNames.Length];
        for (var i = 0; i < PolicyNames.Length; i++)
        {
            var shape = first[PolicyNames[i]].Shape;
            var size = first[PolicyNames[i]].Values.Length;
            var values = new float[Members * size];
            for (var g = 0; g < Members; g++)
            {
                var t = initial[g].Tensors.First(x => x.Name == _snapshotNames[i]);
                if (!t.Shape.SequenceEqual(shape)) throw new ArgumentException($"member {g}'s '{t.Name}' has shape [{string.Join(",", t.Shape)}], member 0's [{string.Join(",", shape)}]");
                t.Values.CopyTo(values, g * size);
            }
            using var flat = tensor(values);
            using var stacked = flat.reshape([Members, .. shape]);
            _policy[i] = new Parameter(stacked.to(device));
            register_parameter(PolicyNames[i].Replace('.', '_'), _policy[i]);
        }
        var inputs = first["hidden.weight"].Shape[1];
        _baselineWeight = new Parameter(zeros(Members, slots, inputs, device: device));
        _baselineBias = new Parameter(zeros(Members, slots, device: device));
        register_parameter("baseline_weight", _baselineWeight);
        register_parameter("baseline_bias", _baselineBias);
        using var flatFeatures = tensor(itemEmbeddings);
        using var features = flatFeatures.reshape(items, itemDim);
        _itemFeatures = features.to(device);
    }

    /// <summary>Every trained tensor: the policy's, then the baseline's.</summary>
    public IReadOnlyList<Parameter> Trained => [.. _policy, _baselineWeight, _baselineBias];

    /// <summary>
    /// Logits [G, B, items] and baseline values [G, B, slots] for features [G, B, inputs]: the forward
    /// pass of <see cref="ReinforcePolicyNetwork"/> for each member, batched over members.
    /// </summary>
    public (Tensor Logits, Tensor Baseline) Forward(Tensor features)
    {
        using var scope = NewDisposeScope();
        var (w1, b1, w2, b2, projection, bias) = (_policy[0], _policy[1], _policy[2], _policy[3], _policy[4], _policy[5]);
        if (Members == 1)
        {
            // One member: plain matrix products (addmm), which handle transposed operands without the
            // copies a batched product may make; the gradients reach the stack through the [0] views.
            var x = features[0];
            var h = nn.functional.relu(nn.functional.linear(x, w1[0], b1[0]));
            var u = nn.functional.linear(h, w2[0], b2[0]);
            var vectors = nn.functional.linear(_itemFeatures, projection[0]);
            var z = nn.functional.linear(u, vectors, bias[0]).unsqueeze(0);
            var b = nn.functional.linear(x, _baselineWeight[0], _baselineBias[0]).unsqueeze(0);
            return (z.MoveToOuterDisposeScope(), b.MoveToOuterDisposeScope());
        }
        var hidden = nn.functional.relu(features.bmm(w1.transpose(1, 2)).add(b1.unsqueeze(1), TorchScalars.One));
        var user = hidden.bmm(w2.transpose(1, 2)).add(b2.unsqueeze(1), TorchScalars.One);
        var itemVectors = _itemFeatures.matmul(projection.transpose(1, 2));
        var logits = user.bmm(itemVectors.transpose(1, 2)).add(bias.unsqueeze(1), TorchScalars.One);
        var baseline = features.bmm(_baselineWeight.transpose(1, 2)).add(_baselineBias.unsqueeze(1), TorchScalars.One);
        return (logits.MoveToOuterDisposeScope(), baseline.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// The policy's scores for the loss: the logits of each row's slate <paramref name="actions"/>
    /// [G, B, K] and either the whole catalog's (<paramref name="drawn"/> null: the exact softmax) or
    /// only those of the items <paramref name="drawn"/> [G, S] for each member (a sampled softmax, see
    /// <see cref="SampledSoftmax"/>: K + S item vectors per row instead of the catalog's N); plus the
    /// baseline values [G, B, slots].
    /// </summary>
    public (PolicyScores Scores, Tensor Baseline) Scores(Tensor features, Tensor actions, Tensor? drawn)
    {
        using var scope = NewDisposeScope();
        if (drawn is null)
        {
            var (logits, baseline) = Forward(features);
            var scores = PolicyScores.Exact(nn.functional.log_softmax(logits, 2), actions);
            return (Keep(scores), baseline.MoveToOuterDisposeScope());
        }
        var (w1, b1, w2, b2, projection, bias) = (_policy[0], _policy[1], _policy[2], _policy[3], _policy[4], _policy[5]);
        var (g, b, k, s) = (actions.shape[0], actions.shape[1], actions.shape[2], drawn.shape[1]);
        var hidden = nn.functional.relu(features.bmm(w1.transpose(1, 2)).add(b1.unsqueeze(1), TorchScalars.One));
        var user = hidden.bmm(w2.transpose(1, 2)).add(b2.unsqueeze(1), TorchScalars.One);                              // [G, B, E]
        var dim = _itemFeatures.shape[1];
        // Only the item vectors a row needs: its slate's and the member's drawn items'.
        var slateVectors = _itemFeatures.index_select(0, actions.flatten()).view(g, b * k, dim).bmm(projection.transpose(1, 2)).view(g, b, k, -1);
        var slate = slateVectors.mul(user.unsqueeze(2)).sum(3).add(bias.gather(1, actions.view(g, b * k)).view(g, b, k), TorchScalars.One);
        var drawnVectors = _itemFeatures.index_select(0, drawn.flatten()).view(g, s, dim).bmm(projection.transpose(1, 2));  // [G, S, E]
        var other = user.bmm(drawnVectors.transpose(1, 2)).add(bias.gather(1, drawn).unsqueeze(1), TorchScalars.One);
        var values = features.bmm(_baselineWeight.transpose(1, 2)).add(_baselineBias.unsqueeze(1), TorchScalars.One);
        return (Keep(PolicyScores.Sampled(slate, other, SampledSoftmax.SampledLogWeights(actions, drawn, Items))), values.MoveToOuterDisposeScope());

        static PolicyScores Keep(PolicyScores p) => p with { Slate = p.Slate.MoveToOuterDisposeScope(), Other = p.Other.MoveToOuterDisposeScope(), OtherLogWeight = p.OtherLogWeight?.MoveToOuterDisposeScope() };
    }

    /// <summary>Member <paramref name="member"/>'s policy parameters, as the agent scores with them.</summary>
    public PolicySnapshot Snapshot(int member, int version)
    {
        using var scope = NewDisposeScope();
        var tensors = new NamedTensor[_policy.Length];
        for (var i = 0; i < _policy.Length; i++)
        {
            var slice = _policy[i].detach()[member].cpu();
            tensors[i] = new NamedTensor(_snapshotNames[i], slice.shape, slice.data<float>().ToArray());
        }
        return new PolicySnapshot(version, tensors);
    }

    /// <summary>Every trained tensor's slice for one member, in <see cref="Trained"/> order (for checkpoints).</summary>
    public Tensor[] MemberSlices(int member) => [.. Trained.Select(p => p.detach()[member])];

    protected override void Dispose(bool disposing)
    {
        if (disposing) _itemFeatures.Dispose();
        base.Dispose(disposing);
    }
}
