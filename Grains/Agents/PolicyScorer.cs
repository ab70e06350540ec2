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
    private readonly float[] _w1, _b1, _w2, _b2, _panel;
    private readonly int _inputs, _hidden, _embedding, _items, _width, _blocks;
    private readonly ScenarioTimeline _timeline;

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
        (_w1, _b1, _w2, _b2) = (w1.Values, Find("hidden.bias").Values, w2.Values, Find("userOut.bias").Values);
        var bias = Find("itemBias").Values;
        var catalog = world.Catalog;
        _items = catalog.Count;
        _timeline = world.Timeline;
        // Item vectors: embeddings (items × dim) times the projectionᵀ (dim × embedding), laid out like
        // the catalog's utility panel: per block of vector-width items, the bias, then each dimension.
        _width = catalog.PanelWidth;
        _blocks = catalog.PaddedCount / _width;
        var rows = 1 + _embedding;
        _panel = new float[(long)_blocks * rows * _width];
        for (var i = 0; i < _items; i++)
        {
            var at = (long)(i / _width) * rows * _width + i % _width;
            _panel[at] = bias[i];
            var embedding = catalog.Embedding(i);
            for (var e = 0; e < _embedding; e++)
                _panel[at + (1 + e) * _width] = VectorMath.Dot(projection.Values.AsSpan(e * catalog.Dim, catalog.Dim), embedding);
        }
    }

    /// <summary>Length a logits buffer needs: the catalog rounded up to whole vector blocks.</summary>
    public int PaddedItems => _blocks * _width;

    /// <summary>Writes every item's logit for one user's features into the first Catalog.Count entries of <paramref name="logits"/> (at least <see cref="PaddedItems"/> long).</summary>
    public void Logits(ReadOnlySpan<float> features, Span<float> logits)
    {
        Span<float> user = 1 + _embedding <= 1024 ? stackalloc float[1 + _embedding] : new float[1 + _embedding];
        UserVector(features, user);
        VectorMath.PanelProduct(_panel, 1 + _embedding, _width, user, logits[..PaddedItems]);
    }

    /// <summary>The panel's row weights for one user: 1 for the item bias, then the user tower's output.</summary>
    private void UserVector(ReadOnlySpan<float> features, Span<float> user)
    {
        Span<float> hidden = _hidden <= 1024 ? stackalloc float[_hidden] : new float[_hidden];
        for (var h = 0; h < _hidden; h++)
            hidden[h] = Math.Max(0, _b1[h] + VectorMath.Dot(_w1.AsSpan(h * _inputs, _inputs), features[.._inputs]));
        user[0] = 1;
        for (var e = 0; e < _embedding; e++) user[1 + e] = _b2[e] + VectorMath.Dot(_w2.AsSpan(e * _hidden, _hidden), hidden);
    }

    /// <summary>Users scored per pass over the item panel (see ShardSimulation.UtilityBatch: the same cache argument).</summary>
    private const int Batch = 16;

    /// <summary>Each user's top N among the items that exist in <paramref name="round"/> (<see cref="ScenarioTimeline.AvailableItems"/>), standardised over them.</summary>
    public void Propose(int round, ReadOnlySpan<SimulatedUser> users, CandidateSet output)
    {
        var live = Math.Min(_items, _timeline.AvailableItems(round));
        var n = Math.Min(output.PerUser, live);
        var rows = 1 + _embedding;
        var vectors = new float[Batch * rows];
        var buffer = new float[Batch * PaddedItems];
        var features = new float[_inputs];
        for (var first = 0; first < users.Length; first += Batch)
        {
            var count = Math.Min(Batch, users.Length - first);
            for (var j = 0; j < count; j++)
            {
                PolicyFeatures.Write(users[first + j].Profile, users[first + j].Segment, features);
                UserVector(features, vectors.AsSpan(j * rows, rows));
            }
            VectorMath.PanelProduct(_panel, rows, _width, vectors.AsSpan(0, count * rows), buffer.AsSpan(0, count * PaddedItems), count);
            for (var j = 0; j < count; j++)
            {
                var u = first + j;
                var logits = buffer.AsSpan(j * PaddedItems, live);
                var (mean, sd) = Standardizer.MeanAndSd(logits);
                var items = output.ItemRow(u);
                var scores = output.ScoreRow(u);
                TopK.Select(logits, items[..n]);
                for (var i = 0; i < n; i++) scores[i] = logits[items[i]];
                output.Set(u, n, (float)mean, (float)sd);
            }
        }
    }
}
