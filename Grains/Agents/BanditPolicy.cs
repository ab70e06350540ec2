using MultiAgentRec.Contracts;

namespace MultiAgentRec.Agents;

/// <summary>
/// A bandit agent's learned state and how it turns into a round's model. Learning is
/// round-synchronous: feedback is held until the model of a later round is built, so the model of
/// round r always holds exactly the feedback of rounds 0..r−1, whatever order shards report in.
/// </summary>
public abstract class BanditPolicy
{
    private readonly List<SegmentClickFeedback> _pending = [];
    private BanditModel? _model;
    private int _modelRound = -1;

    protected BanditPolicy(AgentSpec spec, int segments, int items, int candidates, int seed, ulong streamKey)
    {
        Spec = spec;
        Statistics = new SegmentClickStatistics(segments, items);
        Candidates = Math.Min(candidates, items);
        Seed = seed;
        StreamKey = streamKey;
    }

    public AgentSpec Spec { get; }
    public SegmentClickStatistics Statistics { get; }
    public int Candidates { get; }
    protected int Seed { get; }
    protected ulong StreamKey { get; }

    /// <summary>Holds one shard's feedback until the next round's model is built.</summary>
    public void Observe(SegmentClickFeedback feedback) => _pending.Add(feedback);

    /// <summary>The model of <paramref name="round"/>: every feedback of earlier rounds folded in, built once.</summary>
    public BanditModel ModelFor(int round)
    {
        if (_model is not null && _modelRound == round) return _model;
        var folded = 0;
        foreach (var f in _pending)
            if (f.Round < round) { Statistics.Add(f); folded++; }
        if (folded > 0) _pending.RemoveAll(f => f.Round < round);
        _model = Build(round);
        _modelRound = round;
        return _model;
    }

    protected abstract BanditModel Build(int round);
}
