using MultiAgentRec.Contracts;

namespace MultiAgentRec.Agents;

/// <summary>
/// A bandit agent's learned state and how it turns into a round's model. Learning is
/// round-synchronous: feedback is held until the model of a later round is built, so the model of
/// round r always holds exactly the feedback of rounds 0..r−1, whatever order shards report in.
/// With position-bias correction on (hyper-parameter <c>positionBias</c>, 1 by default) the kinds
/// rank by clicks per <see cref="Exposures"/>: impressions weighted by how often their slot is
/// examined, as a <see cref="PositionBasedModel"/> fitted on the slot counts estimates it.
/// </summary>
public abstract class BanditPolicy
{
    private readonly List<SegmentClickFeedback> _pending = [];
    private readonly PositionBasedModel? _positions;
    private readonly int _sweeps;
    private readonly double[] _lastRound;
    private BanditModel? _model;
    private int _modelRound = -1;

    protected BanditPolicy(AgentSpec spec, int segments, int items, int candidates, int seed, ulong streamKey, int slateSize = 1)
    {
        Spec = spec;
        var correct = slateSize > 1 && spec.Get("positionBias", 1) != 0;
        Statistics = new SegmentClickStatistics(segments, items, correct ? slateSize : 1);
        Candidates = Math.Min(candidates, items);
        SlateSize = slateSize;
        _lastRound = new double[segments * Statistics.Slots];
        Seed = seed;
        StreamKey = streamKey;
        _sweeps = (int)spec.Get("positionSweeps", PositionBasedModel.DefaultSweeps);
        if (correct)
        {
            _positions = new PositionBasedModel((long)segments * items, slateSize);
            Exposures = new double[(long)segments * items];
        }
        else
        {
            Exposures = Statistics.Impressions;
        }
    }

    public AgentSpec Spec { get; }
    public SegmentClickStatistics Statistics { get; }
    public int Candidates { get; }
    protected int SlateSize { get; }
    protected int Seed { get; }
    protected ulong StreamKey { get; }

    /// <summary>
    /// How many items (numbered 0..n−1) exist in a round (<see cref="Simulation.ScenarioTimeline.AvailableItems"/>);
    /// null: the whole catalog every round. A model ranks only the items that exist, so an item that
    /// has not arrived yet, which a bandit has never seen, cannot take the place of one that has.
    /// </summary>
    public Func<int, int>? AvailableAt { get; init; }

    /// <summary>The items a model of <paramref name="round"/> ranks: the first <see cref="AvailableAt"/> of the catalog.</summary>
    protected int Live(int round) => Math.Clamp(AvailableAt?.Invoke(round) ?? Statistics.Items, 1, Statistics.Items);

    /// <summary>The position-based model, when this agent corrects for position bias.</summary>
    public PositionBasedModel? Positions => _positions;

    /// <summary>
    /// Per (segment, item) cell: the impressions the kinds count, Σ_slot θ_slot/θ_0 × impressions in
    /// that slot with position-bias correction, plain impressions without.
    /// </summary>
    public double[] Exposures { get; }

    /// <summary>The round of the last model built (−1: none yet).</summary>
    public int ModelRound => _modelRound;

    /// <summary>Holds one shard's feedback until the next round's model is built.</summary>
    public void Observe(SegmentClickFeedback feedback) => _pending.Add(feedback);

    /// <summary>Feedback messages held, not yet folded in.</summary>
    public int PendingCount => _pending.Count;

    /// <summary>How many shards' feedback of <paramref name="round"/> is held, not yet folded in.</summary>
    public int PendingOf(int round) => _pending.Count(f => f.Round == round);

    /// <summary>The model of <paramref name="round"/>: every feedback of earlier rounds folded in, built once.</summary>
    public BanditModel ModelFor(int round)
    {
        if (_model is not null && _modelRound == round) return _model;
        if (round > _modelRound)
        {
            // Learning happens only when the round advances, so rebuilding the model of the current
            // round (after a reactivation) gives it back exactly.
            var folded = 0;
            var latest = -1;
            foreach (var f in _pending)
                if (f.Round < round) { Statistics.Add(f); folded++; latest = Math.Max(latest, f.Round); }
            if (folded > 0)
            {
                CountLastRound(latest);
                _pending.RemoveAll(f => f.Round < round);
            }
            if (_positions is not null && folded > 0)
            {
                _positions.Fit(Statistics.SlotImpressions, Statistics.SlotClicks, _sweeps);
                UpdateExposures();
            }
            _modelRound = round;
        }
        _model = Build(round);
        return _model;
    }

    /// <summary>
    /// The impressions and exposure a segment gained in the last round folded in (both 0 before any
    /// feedback): what the batch-aware index policies expect the next round to bring (see IndexPolicy).
    /// </summary>
    protected (double Impressions, double Exposure) LastRound(int segment)
    {
        var k = Statistics.Slots;
        double impressions = 0, exposure = 0;
        for (var slot = 0; slot < k; slot++)
        {
            var count = _lastRound[segment * k + slot];
            impressions += count;
            exposure += (_positions?.Examination(slot) ?? 1) * count;
        }
        return (impressions, exposure);
    }

    // Per (segment, slot), the impressions of round `latest`, from the feedback being folded in.
    private void CountLastRound(int latest)
    {
        Array.Clear(_lastRound);
        var k = Statistics.Slots;
        foreach (var f in _pending)
        {
            if (f.Round != latest) continue;
            for (var i = 0; i < f.Cells.Length; i++)
            {
                var slot = f.Slots is { } s ? Math.Min(s[i], k - 1) : 0;
                _lastRound[f.Cells[i] / Statistics.Items * k + slot] += f.Impressions[i];
            }
        }
    }

    private void UpdateExposures()
    {
        var k = Statistics.Slots;
        Span<double> weight = stackalloc double[k];
        for (var slot = 0; slot < k; slot++) weight[slot] = _positions!.Examination(slot);
        var counts = Statistics.SlotImpressions;
        for (long cell = 0; cell < Exposures.LongLength; cell++)
        {
            double sum = 0;
            for (var slot = 0; slot < k; slot++) sum += weight[slot] * counts[cell * k + slot];
            Exposures[cell] = sum;
        }
    }

    /// <summary>Everything learned so far, for the grain to persist.</summary>
    public BanditPolicyState Save() => new()
    {
        ModelRound = _modelRound,
        Impressions = (double[])Statistics.Impressions.Clone(),
        Clicks = (double[])Statistics.Clicks.Clone(),
        SlotImpressions = (double[])Statistics.SlotImpressions.Clone(),
        SlotClicks = (double[])Statistics.SlotClicks.Clone(),
        Theta = _positions?.Theta.ToArray() ?? [],
        Gamma = _positions?.Gamma.ToArray() ?? [],
        Pending = [.. _pending],
        LastRoundImpressions = (double[])_lastRound.Clone(),
    };

    /// <summary>Continues from a saved state: the next model is the one the saving policy would have built.</summary>
    public void Restore(BanditPolicyState state)
    {
        if (state.Impressions.Length != Statistics.Impressions.Length || state.SlotImpressions.Length != Statistics.SlotImpressions.Length
            || state.Theta.Length != (_positions?.Slots ?? 0))
            throw new InvalidOperationException($"saved bandit state of agent '{Spec.Id}' does not fit its scenario (catalog, segments, slate size or positionBias changed)");
        Statistics.Restore(state.Impressions, state.Clicks, state.SlotImpressions, state.SlotClicks);
        if (_positions is not null)
        {
            _positions.Restore(state.Theta, state.Gamma);
            UpdateExposures();
        }
        // A state saved before the last round's counts were kept has none: the next model is built as
        // in a first round, and the counts return with the next round's feedback.
        if (state.LastRoundImpressions.Length == _lastRound.Length) state.LastRoundImpressions.CopyTo(_lastRound, 0);
        else Array.Clear(_lastRound);
        _pending.Clear();
        _pending.AddRange(state.Pending);
        _modelRound = state.ModelRound;
        _model = null;
    }

    protected abstract BanditModel Build(int round);
}
