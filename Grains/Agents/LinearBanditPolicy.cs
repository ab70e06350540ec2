using MultiAgentRec.Contracts;
using MultiAgentRec.Simulation;

namespace MultiAgentRec.Agents;

/// <summary>
/// A linear bandit agent's learning (LinUCB disjoint or hybrid, linear Thompson sampling: they learn
/// the same statistics and differ in how <see cref="LinearBanditProposer"/> explores). Learning is
/// round-synchronous: a shard's impressions are held until the model of a later round is built,
/// then folded in (round, shard) order, so the model of round r holds exactly the feedback of
/// rounds 0..r−1 and its floating-point sums do not depend on which shard reported first. Every
/// round's feedback must come from every shard of the arm; a gap (an agent that lost its in-memory
/// feedback) is an error rather than a silently different run.
/// </summary>
public sealed class LinearBanditPolicy
{
    private readonly SortedDictionary<(int Round, int Shard), TrajectoryBatch> _pending = [];
    private readonly Func<int, int> _shardsIn;
    private readonly string _name;
    private LinearBanditModel? _model;
    private int _modelRound = -1;

    /// <param name="shards">Shards of the arm: the batches each round's feedback must hold.</param>
    public LinearBanditPolicy(World world, AgentSpec spec, int shards)
        : this(world, spec, _ => shards)
    {
    }

    /// <param name="shardsIn">The batches round r's feedback must hold: the shards playing it, or 0 when the agent is absent (timed events; see <see cref="ShardLayout.FeedingAgent"/>).</param>
    public LinearBanditPolicy(World world, AgentSpec spec, Func<int, int> shardsIn)
        : this(new LinearBanditStatistics(world.Catalog.Count, world.Catalog.Dim, world.Spec.Users.Segments,
            hybrid: spec.Kind == Names.LinUcbHybrid, spec.Get("lambda", 1), world.Catalog.Embeddings), spec, shardsIn, world.SlateSize)
    {
    }

    /// <summary>A policy over given (empty) statistics: any context size, for tests against hand computation.</summary>
    public LinearBanditPolicy(LinearBanditStatistics statistics, AgentSpec spec, int shards)
        : this(statistics, spec, _ => shards)
    {
    }

    private LinearBanditPolicy(LinearBanditStatistics statistics, AgentSpec spec, Func<int, int> shardsIn, int slateSize = 1)
    {
        Spec = spec;
        _shardsIn = shardsIn;
        _name = $"agent '{spec.Id}'";
        Statistics = statistics;
        if (slateSize > 1 && spec.Get("positionBias", 1) != 0)
        {
            var cells = (long)statistics.Segments * statistics.Items;
            Examination = new PositionBasedModel(cells, slateSize);
            _slotImpressions = new double[cells * slateSize];
            _slotClicks = new double[cells * slateSize];
            _sweeps = (int)spec.Get("positionSweeps", PositionBasedModel.DefaultSweeps);
        }
    }

    private readonly double[] _slotImpressions = [], _slotClicks = [];
    private readonly int _sweeps;

    /// <summary>
    /// The position-based model fitted on impressions and clicks per (segment, item, slot), as the
    /// non-contextual bandits fit it; null when <c>positionBias</c> is off or slates have one slot.
    /// Each round's impressions are folded in with the exposures θ_k/θ₀ of the fit that includes them.
    /// </summary>
    public PositionBasedModel? Examination { get; }

    public AgentSpec Spec { get; }
    public LinearBanditStatistics Statistics { get; }

    /// <summary>The last round whose feedback is folded into the statistics (−1: none).</summary>
    public int FoldedThrough { get; private set; } = -1;

    /// <summary>Holds one shard's impressions until the next round's model is built (a repeated delivery replaces the first).</summary>
    public void Observe(TrajectoryBatch batch)
    {
        if (batch.Round <= FoldedThrough)
            throw new InvalidOperationException($"{_name} got feedback of round {batch.Round} after folding rounds up to {FoldedThrough}");
        _pending[(batch.Round, batch.Shard)] = batch;
    }

    /// <summary>The model of <paramref name="round"/>: every feedback of earlier rounds folded in, built once.</summary>
    public LinearBanditModel ModelFor(int round)
    {
        if (_model is not null && _modelRound == round) return _model;
        if (round <= FoldedThrough)
            throw new InvalidOperationException($"{_name} was asked for the model of round {round} after folding round {FoldedThrough}'s feedback");
        for (var q = FoldedThrough + 1; q < round; q++)
        {
            var have = _pending.Keys.Count(key => key.Round == q);
            var shards = _shardsIn(q);
            if (have != shards)
                throw new InvalidOperationException(
                    $"{_name} holds the feedback of {have} of {shards} shards for round {q} and cannot build round {round}'s model (was it reactivated without its stored state?); start the run again");
        }
        var folded = _pending.Where(p => p.Key.Round < round).ToList();
        foreach (var sameRound in folded.GroupBy(p => p.Key.Round))
        {
            var exposure = ExposureAfter(sameRound.Select(p => p.Value));
            foreach (var (key, batch) in sameRound)
            {
                Statistics.Add(batch, exposure);
                _pending.Remove(key);
            }
        }
        FoldedThrough = Math.Max(FoldedThrough, round - 1);
        _model = Build();
        _modelRound = round;
        return _model;
    }

    /// <summary>Counts a round's impressions per (segment, item, slot), refits the position-based model and returns θ_k/θ₀ per slot (empty without the model).</summary>
    private double[] ExposureAfter(IEnumerable<TrajectoryBatch> round)
    {
        if (Examination is null) return [];
        var s = Statistics;
        var slots = Examination.Slots;
        foreach (var batch in round)
        {
            var d = batch.FeatureDim;
            for (var row = 0; row < batch.Rows; row++)
            {
                var segment = batch.Features.AsSpan(row * d + s.ProfileDim, s.Segments).IndexOf(1f);
                if (segment < 0) continue;
                for (var slot = 0; slot < Math.Min(slots, batch.SlateSize); slot++)
                {
                    var cell = (long)segment * s.Items + batch.Actions[row * batch.SlateSize + slot];
                    _slotImpressions[cell * slots + slot]++;
                    _slotClicks[cell * slots + slot] += batch.Rewards[row * batch.SlateSize + slot];
                }
            }
        }
        Examination.Fit(_slotImpressions, _slotClicks, _sweeps);
        var exposure = new double[slots];
        for (var k = 0; k < slots; k++) exposure[k] = Examination.Examination(k);
        return exposure;
    }

    private LinearBanditModel Build()
    {
        var s = Statistics;
        Statistics.RefreshCrossTerms();
        int n = s.Items, d = s.Features, k = s.Shared, segments = s.Segments, packed = SymmetricMatrix.PackedSize(d);
        var theta = new float[(long)n * d];
        var covariance = new float[(long)n * packed];
        var crossOut = new float[(long)n * d * k];
        var beta = new double[k];
        var sharedInverse = Array.Empty<double>();
        if (k > 0)
        {
            var (a0, b0) = s.SharedBlock();
            sharedInverse = SymmetricMatrix.InvertPositiveDefinite(a0, k);
            for (var i = 0; i < k; i++)
                for (var j = 0; j < k; j++) beta[i] += sharedInverse[i * k + j] * b0[j];
        }
        var c = new double[d * k];
        var meanContexts = new double[segments * d];
        for (var seg = 0; seg < segments; seg++) s.MeanContext(seg, meanContexts.AsSpan(seg * d, d));
        var widths = new float[(long)segments * n];
        var meanSquared = new double[segments];
        var w = new double[k];
        for (var a = 0; a < n; a++)
        {
            var inverse = s.Inverse.AsSpan((int)((long)a * d * d), d * d);
            var b = s.RewardSums.AsSpan(a * d, d);
            if (k > 0) s.CrossSolve(a, c);
            // θ_a = A_a⁻¹b_a, less C_aβ in the hybrid model (θ_a = A_a⁻¹(b_a − B_aβ)).
            for (var i = 0; i < d; i++)
            {
                double sum = 0;
                for (var j = 0; j < d; j++) sum += inverse[i * d + j] * b[j];
                for (var j = 0; j < k; j++) sum -= c[i * k + j] * beta[j];
                theta[(long)a * d + i] = (float)sum;
            }
            SymmetricMatrix.Pack(inverse, d, covariance.AsSpan((int)((long)a * packed), packed));
            for (var i = 0; i < d * k; i++) crossOut[(long)a * d * k + i] = (float)c[i];
            for (var seg = 0; seg < segments; seg++)
            {
                var x = meanContexts.AsSpan(seg * d, d);
                var width2 = Variance(inverse, x, c, sharedInverse, a, w);
                widths[(long)seg * n + a] = (float)Math.Sqrt(width2);
                meanSquared[seg] += width2 / n;
            }
        }
        var sharedPacked = new float[SymmetricMatrix.PackedSize(k)];
        SymmetricMatrix.Pack(sharedInverse, k, sharedPacked);
        return new LinearBanditModel(n, d, k, segments, theta, covariance, crossOut,
            beta.Select(v => (float)v).ToArray(), sharedPacked, widths, meanSquared.Select(v => (float)v).ToArray());
    }

    /// <summary>
    /// s = xᵀA_a⁻¹x, plus (z − C_aᵀx)ᵀA₀⁻¹(z − C_aᵀx) in the hybrid model: Li et al.'s
    /// zᵀA₀⁻¹z − 2zᵀA₀⁻¹C_aᵀx + xᵀA_a⁻¹x + xᵀC_aA₀⁻¹C_aᵀx with the three shared terms gathered into one form.
    /// </summary>
    private double Variance(ReadOnlySpan<double> inverse, ReadOnlySpan<double> x, ReadOnlySpan<double> c, ReadOnlySpan<double> sharedInverse, int item, Span<double> w)
    {
        int d = x.Length, k = w.Length;
        double s = 0;
        for (var i = 0; i < d; i++)
        {
            double row = 0;
            for (var j = 0; j < d; j++) row += inverse[i * d + j] * x[j];
            s += x[i] * row;
        }
        if (k == 0) return Math.Max(0, s);
        var embedding = Statistics.Embedding(item);
        for (var j = 0; j < k; j++)
        {
            double cx = 0;
            for (var i = 0; i < d; i++) cx += c[i * k + j] * x[i];
            w[j] = x[j] * embedding[j] - cx;
        }
        for (var i = 0; i < k; i++)
        {
            double row = 0;
            for (var j = 0; j < k; j++) row += sharedInverse[i * k + j] * w[j];
            s += w[i] * row;
        }
        return Math.Max(0, s);
    }

    /// <summary>Everything learned and pending, for storage.</summary>
    public LinearBanditState Export()
    {
        var s = Statistics;
        int n = s.Items, d = s.Features, packed = SymmetricMatrix.PackedSize(d);
        var inverses = new double[(long)n * packed];
        for (var a = 0; a < n; a++)
            SymmetricMatrix.Pack(s.Inverse.AsSpan((int)((long)a * d * d), d * d), d, inverses.AsSpan((int)((long)a * packed), packed));
        double[][] parts = [inverses, .. StoredArrays(), .. Examination is null ? [] : new[] { Examination.Theta.ToArray(), Examination.Gamma.ToArray() }];
        var bytes = new byte[parts.Sum(p => (long)p.Length) * sizeof(double)];
        var at = 0;
        foreach (var part in parts)
        {
            Buffer.BlockCopy(part, 0, bytes, at, part.Length * sizeof(double));
            at += part.Length * sizeof(double);
        }
        return new LinearBanditState { FoldedThrough = FoldedThrough, Statistics = bytes, Pending = [.. _pending.Values] };
    }

    /// <summary>The statistics stored as they are, after the packed inverses (with the position-based model, its counts; its estimates follow).</summary>
    private double[][] StoredArrays()
    {
        var s = Statistics;
        return [s.RewardSums, s.Cross, s.SharedGram, s.SharedRewards, s.ContextSums, s.ContextCounts, _slotImpressions, _slotClicks];
    }

    /// <summary>Replaces what this (fresh) policy holds with a stored state.</summary>
    public void Restore(LinearBanditState state)
    {
        var s = Statistics;
        int n = s.Items, d = s.Features, packed = SymmetricMatrix.PackedSize(d);
        var inverses = new double[(long)n * packed];
        var theta = new double[Examination?.Slots ?? 0];
        var gamma = new double[Examination?.Gamma.Length ?? 0];
        double[][] parts = [inverses, .. StoredArrays(), theta, gamma];
        if (state.Statistics.LongLength != parts.Sum(p => (long)p.Length) * sizeof(double))
            throw new InvalidOperationException($"{_name}: stored state does not fit the scenario's catalog, features, slate size or positionBias");
        var at = 0;
        foreach (var part in parts)
        {
            Buffer.BlockCopy(state.Statistics, at, part, 0, part.Length * sizeof(double));
            at += part.Length * sizeof(double);
        }
        for (var a = 0; a < n; a++)
            SymmetricMatrix.Unpack(inverses.AsSpan((int)((long)a * packed), packed), d, s.Inverse.AsSpan((int)((long)a * d * d), d * d));
        s.RefreshCrossTerms(all: true);
        Examination?.Restore(theta, gamma);
        FoldedThrough = state.FoldedThrough;
        _pending.Clear();
        foreach (var batch in state.Pending) _pending[(batch.Round, batch.Shard)] = batch;
        _model = null;
        _modelRound = -1;
    }
}
