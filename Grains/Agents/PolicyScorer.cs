using MultiAgentRec.Contracts;
using MultiAgentRec.Coordination;
using MultiAgentRec.Simulation;

namespace MultiAgentRec.Agents;

/// <summary>
/// Scores users with a REINFORCE policy snapshot in plain C# (the forward pass of
/// <see cref="ReinforcePolicyNetwork"/>: user = W₂·relu(W₁·x + b₁) + b₂, logits = item vectors · user
/// + item bias) and proposes each user's top N logits. The item vectors are computed once per
/// snapshot and stored dimension-major, so a user costs one vectorised pass over the catalog per
/// embedding dimension and no TorchSharp call: shards on every core score in parallel, and the
/// result depends only on the snapshot, never on thread counts.
/// </summary>
public sealed class PolicyScorer : ICandidateProposer
{
    private readonly float[] _w1, _b1, _w2, _b2, _itemVectorsByDim, _itemBias;
    private readonly int _inputs, _hidden, _embedding, _items, _profileDim;

    public PolicyScorer(PolicySnapshot snapshot, World world)
    {
        var byName = snapshot.Tensors.ToDictionary(t => t.Name.TrimStart('_'), StringComparer.Ordinal);
        NamedTensor Find(string name) => byName.TryGetValue(name, out var t) ? t
            : throw new InvalidOperationException($"policy snapshot has no '{name}' (has {string.Join(", ", byName.Keys)})");
        var w1 = Find("hidden.weight");
        var w2 = Find("userOut.weight");
        var projection = Find("itemProjection.weight");
        (_hidden, _inputs) = ((int)w1.Shape[0], (int)w1.Shape[1]);
        _embedding = (int)w2.Shape[0];
        (_w1, _b1, _w2, _b2, _itemBias) = (w1.Values, Find("hidden.bias").Values, w2.Values, Find("userOut.bias").Values, Find("itemBias").Values);
        var catalog = world.Catalog;
        _items = catalog.Count;
        _profileDim = catalog.Dim;
        // Item vectors: embeddings (items × dim) times the projectionᵀ (dim × embedding), stored embedding-major.
        _itemVectorsByDim = new float[(long)_embedding * _items];
        for (var e = 0; e < _embedding; e++)
        {
            var column = _itemVectorsByDim.AsSpan(e * _items, _items);
            for (var j = 0; j < catalog.Dim; j++)
                VectorMath.Axpy(catalog.EmbeddingColumn(j), projection.Values[e * catalog.Dim + j], column);
        }
    }

    /// <summary>Writes every item's logit for one user's features.</summary>
    public void Logits(ReadOnlySpan<float> features, Span<float> logits)
    {
        Span<float> hidden = _hidden <= 1024 ? stackalloc float[_hidden] : new float[_hidden];
        for (var h = 0; h < _hidden; h++)
        {
            hidden[h] = Math.Max(0, _b1[h] + VectorMath.Dot(_w1.AsSpan(h * _inputs, _inputs), features[.._inputs]));
        }
        _itemBias.CopyTo(logits);
        for (var e = 0; e < _embedding; e++)
        {
            var user = _b2[e] + VectorMath.Dot(_w2.AsSpan(e * _hidden, _hidden), hidden);
            VectorMath.Axpy(_itemVectorsByDim.AsSpan(e * _items, _items), user, logits[.._items]);
        }
    }

    public void Propose(int round, ReadOnlySpan<SimulatedUser> users, CandidateSet output)
    {
        var n = Math.Min(output.PerUser, _items);
        var logits = new float[_items];
        var features = new float[_inputs];
        for (var u = 0; u < users.Length; u++)
        {
            var user = users[u];
            PolicyFeatures.Write(user.Profile, user.Segment, features);
            Logits(features, logits);
            var (mean, sd) = Standardizer.MeanAndSd(logits);
            var items = output.ItemRow(u);
            var scores = output.ScoreRow(u);
            TopK.Select(logits, items[..n]);
            for (var j = 0; j < n; j++) scores[j] = logits[items[j]];
            output.Set(u, n, (float)mean, (float)sd);
        }
    }
}
