using MultiAgentRec.Contracts;

namespace MultiAgentRec.Agents;

/// <summary>
/// What a linear bandit has learned, as sufficient statistics kept in double precision. Per item a:
/// A_a⁻¹ (A_a = λI + Σ xxᵀ over the item's impressions, kept inverted by Sherman–Morrison updates) and
/// b_a = Σ r·x. The hybrid model (Li, Chu, Langford and Schapire, WWW 2010, algorithm 2) adds shared
/// features z = profile ⊙ embedding_a with coefficients β common to every item, and per item
/// B_a = Σ x zᵀ; its shared block A₀ = λI + Σ zzᵀ − Σ_a B_aᵀA_a⁻¹B_a and b₀ = Σ r·z − Σ_a B_aᵀA_a⁻¹b_a
/// are the sums the paper's per-step updates telescope to, rebuilt in item order once per round so
/// they carry no drift from adding and subtracting. Per segment: the sum and count of the observed
/// contexts, whose mean ranks each segment's pool. Observations are folded in the order given; the
/// policy gives them in (round, shard) order.
/// </summary>
public sealed class LinearBanditStatistics
{
    private readonly double[] _scratch, _x, _xw, _z;
    private readonly float[] _embeddings;
    private readonly bool[] _touched;

    /// <param name="profileDim">Profile entries at the start of each context (the rest is the one-hot segment).</param>
    /// <param name="embeddings">The catalog's item embeddings (items × profileDim), for the hybrid model's shared features.</param>
    public LinearBanditStatistics(int items, int profileDim, int segments, bool hybrid, double lambda, float[] embeddings)
    {
        (Items, ProfileDim, Segments, Lambda) = (items, profileDim, segments, lambda);
        Features = profileDim + segments;
        Shared = hybrid ? profileDim : 0;
        _embeddings = embeddings;
        int d = Features, k = Shared;
        Inverse = new double[(long)items * d * d];
        for (var a = 0; a < items; a++)
            for (var i = 0; i < d; i++) Inverse[(long)a * d * d + i * d + i] = 1 / lambda;
        RewardSums = new double[(long)items * d];
        Cross = new double[(long)items * d * k];
        SharedGram = new double[k * k];
        SharedRewards = new double[k];
        CrossGram = new double[(long)items * k * k];
        CrossRewards = new double[(long)items * k];
        ContextSums = new double[segments * d];
        ContextCounts = new double[segments];
        _scratch = new double[d];
        _x = new double[d];
        _xw = new double[d];
        _z = new double[k];
        _touched = new bool[items];
    }

    public int Items { get; }
    public int ProfileDim { get; }
    public int Segments { get; }
    public double Lambda { get; }
    /// <summary>Context size d: profile plus one-hot segment.</summary>
    public int Features { get; }
    /// <summary>Shared feature size k: the profile dimension for the hybrid model, 0 for the disjoint one.</summary>
    public int Shared { get; }

    /// <summary>A_a⁻¹ per item, row-major d×d each.</summary>
    public double[] Inverse { get; }
    /// <summary>b_a = Σ r·x per item.</summary>
    public double[] RewardSums { get; }
    /// <summary>B_a = Σ x zᵀ per item (d×k), hybrid only.</summary>
    public double[] Cross { get; }
    /// <summary>Σ zzᵀ and Σ r·z over every impression, hybrid only.</summary>
    public double[] SharedGram { get; }
    public double[] SharedRewards { get; }
    /// <summary>B_aᵀA_a⁻¹B_a (k×k) and B_aᵀA_a⁻¹b_a (k) per item, derived from the above (hybrid only).</summary>
    public double[] CrossGram { get; }
    public double[] CrossRewards { get; }
    public double[] ContextSums { get; }
    public double[] ContextCounts { get; }

    /// <summary>Item <paramref name="item"/>'s catalog embedding.</summary>
    public ReadOnlySpan<float> Embedding(int item) => _embeddings.AsSpan(item * ProfileDim, ProfileDim);

    /// <summary>Folds one shard's round of impressions in: every slot of every row, in order, each a full impression.</summary>
    public void Add(TrajectoryBatch batch) => Add(batch, []);

    /// <summary>
    /// Folds one shard's round of impressions in, an impression in slot k weighted by its exposure
    /// κ_k (<paramref name="exposure"/>; empty: 1 for every slot): A_a += κ_k·xxᵀ, b_a += r·x (and
    /// in the hybrid model B_a += κ_k·xzᵀ, Σzzᵀ += κ_k·zzᵀ, Σr·z += r·z). Under a position-based
    /// model, E[r] = κ_k·p(x, a), so this weighted least squares of r/κ_k on x with weights κ_k
    /// estimates p, the click probability in the top slot, and κ_k is also the inverse of r/κ_k's
    /// variance when clicks are rare (Var ≈ p/κ_k): the same "exposure" the non-contextual bandits count.
    /// </summary>
    public void Add(TrajectoryBatch batch, ReadOnlySpan<double> exposure)
    {
        int d = Features, k = Shared, slots = batch.SlateSize;
        if (batch.FeatureDim != d) throw new ArgumentException($"batch has {batch.FeatureDim} features per row, the model {d}");
        for (var row = 0; row < batch.Rows; row++)
        {
            var features = batch.Features.AsSpan(row * d, d);
            for (var j = 0; j < d; j++) _x[j] = features[j];
            var segment = features[ProfileDim..].IndexOf(1f);
            if (segment >= 0)
            {
                for (var j = 0; j < d; j++) ContextSums[segment * d + j] += _x[j];
                ContextCounts[segment]++;
            }
            for (var slot = 0; slot < slots; slot++)
            {
                var item = batch.Actions[row * slots + slot];
                double reward = batch.Rewards[row * slots + slot];
                var weight = exposure.IsEmpty ? 1 : exposure[Math.Min(slot, exposure.Length - 1)];
                if (weight != 1)
                {
                    var root = Math.Sqrt(weight);
                    for (var j = 0; j < d; j++) _xw[j] = root * _x[j];
                    ShermanMorrison.Update(Inverse.AsSpan((int)((long)item * d * d), d * d), _xw, _scratch);
                }
                else ShermanMorrison.Update(Inverse.AsSpan((int)((long)item * d * d), d * d), _x, _scratch);
                var b = RewardSums.AsSpan(item * d, d);
                for (var j = 0; j < d; j++) b[j] += reward * _x[j];
                if (k == 0) continue;
                var embedding = Embedding(item);
                for (var j = 0; j < k; j++) _z[j] = _x[j] * embedding[j];
                var cross = Cross.AsSpan(item * d * k, d * k);
                for (var i = 0; i < d; i++)
                    for (var j = 0; j < k; j++) cross[i * k + j] += weight * _x[i] * _z[j];
                for (var i = 0; i < k; i++)
                {
                    SharedRewards[i] += reward * _z[i];
                    for (var j = 0; j < k; j++) SharedGram[i * k + j] += weight * _z[i] * _z[j];
                }
                _touched[item] = true;
            }
        }
    }

    /// <summary>Recomputes the hybrid model's per-item B_aᵀA_a⁻¹B_a and B_aᵀA_a⁻¹b_a of the items shown since the last call (all items when <paramref name="all"/>).</summary>
    public void RefreshCrossTerms(bool all = false)
    {
        if (Shared == 0) return;
        int d = Features, k = Shared;
        var c = new double[d * k];
        for (var a = 0; a < Items; a++)
        {
            if (!all && !_touched[a]) continue;
            _touched[a] = false;
            CrossSolve(a, c);
            var cross = Cross.AsSpan(a * d * k, d * k);
            var b = RewardSums.AsSpan(a * d, d);
            var gram = CrossGram.AsSpan(a * k * k, k * k);
            var rewards = CrossRewards.AsSpan(a * k, k);
            for (var i = 0; i < k; i++)
            {
                double r = 0;
                for (var p = 0; p < d; p++) r += c[p * k + i] * b[p];
                rewards[i] = r;
                for (var j = 0; j < k; j++)
                {
                    double sum = 0;
                    for (var p = 0; p < d; p++) sum += cross[p * k + i] * c[p * k + j];
                    gram[i * k + j] = sum;
                }
            }
        }
    }

    /// <summary>C_a = A_a⁻¹B_a (d×k) into <paramref name="c"/>.</summary>
    public void CrossSolve(int item, Span<double> c)
    {
        int d = Features, k = Shared;
        var inverse = Inverse.AsSpan((int)((long)item * d * d), d * d);
        var cross = Cross.AsSpan(item * d * k, d * k);
        for (var i = 0; i < d; i++)
            for (var j = 0; j < k; j++)
            {
                double sum = 0;
                for (var p = 0; p < d; p++) sum += inverse[i * d + p] * cross[p * k + j];
                c[i * k + j] = sum;
            }
    }

    /// <summary>The shared block A₀ = λI + Σzzᵀ − Σ_a B_aᵀA_a⁻¹B_a and b₀ = Σ r·z − Σ_a B_aᵀA_a⁻¹b_a, summed in item order.</summary>
    public (double[] A0, double[] B0) SharedBlock()
    {
        var k = Shared;
        var a0 = (double[])SharedGram.Clone();
        var b0 = (double[])SharedRewards.Clone();
        for (var i = 0; i < k; i++) a0[i * k + i] += Lambda;
        for (var a = 0; a < Items; a++)
        {
            var gram = CrossGram.AsSpan(a * k * k, k * k);
            for (var i = 0; i < k * k; i++) a0[i] -= gram[i];
            var rewards = CrossRewards.AsSpan(a * k, k);
            for (var i = 0; i < k; i++) b0[i] -= rewards[i];
        }
        return (a0, b0);
    }

    /// <summary>The mean observed context of a segment; before any, the segment's one-hot with a zero profile.</summary>
    public void MeanContext(int segment, Span<double> x)
    {
        var d = Features;
        x.Clear();
        var count = ContextCounts[segment];
        if (count == 0) { x[ProfileDim + segment] = 1; return; }
        for (var j = 0; j < d; j++) x[j] = ContextSums[segment * d + j] / count;
    }
}
