using MultiAgentRec.Contracts;
using MultiAgentRec.Simulation;

namespace MultiAgentRec.Agents;

/// <summary>A policy that scores a round of users and learns from the feedback of every slate shown.</summary>
public interface IAgentPolicy
{
    ProposalBatch Propose(ProposalRequest request);
    void Observe(FeedbackBatch feedback);
}

/// <summary>
/// Impressions and clicks per (segment, item), learned from every slate the arm showed.
/// Bandit agents keep one set of arms per observable segment: users of a segment share tastes,
/// so this is the simplest contextual bandit that can beat a global popularity estimate.
/// </summary>
public sealed class SegmentClickStatistics(int segments, int items)
{
    public int Items { get; } = items;
    public float[] Impressions { get; } = new float[segments * items];
    public float[] Clicks { get; } = new float[segments * items];

    public void Observe(FeedbackBatch feedback)
    {
        var k = feedback.SlateSize;
        for (var u = 0; u < feedback.Users.Length; u++)
        {
            var row = feedback.Users[u].Segment * Items;
            for (var slot = 0; slot < k; slot++) Impressions[row + feedback.Slates[u * k + slot]] += 1;
            var clicked = feedback.ClickedPositions[u];
            if (clicked >= 0) Clicks[row + feedback.Slates[u * k + clicked]] += 1;
        }
    }
}

/// <summary>
/// Epsilon-greedy: scores are posterior-mean click rates (clicks+α)/(impressions+α+β) of the user's
/// segment; with probability ε a user gets random scores instead (exploration).
/// </summary>
public sealed class EpsilonGreedyPolicy(AgentSpec spec, int segments, int items, int seed, ulong streamKey) : IAgentPolicy
{
    private readonly SegmentClickStatistics _stats = new(segments, items);
    private readonly double _epsilon = spec.Get("epsilon", 0.1);
    private readonly float _alpha = (float)spec.Get("priorAlpha", 1);
    private readonly float _beta = (float)spec.Get("priorBeta", 10);

    public SegmentClickStatistics Statistics => _stats;

    public ProposalBatch Propose(ProposalRequest request)
    {
        var n = _stats.Items;
        var scores = new float[request.Users.Length * n];
        for (var u = 0; u < request.Users.Length; u++)
        {
            var user = request.Users[u];
            var row = scores.AsSpan(u * n, n);
            var rng = SimRandom.For(seed, streamKey, (ulong)request.Round, (ulong)user.UserIndex);
            if (rng.NextDouble() < _epsilon)
            {
                for (var i = 0; i < n; i++) row[i] = (float)rng.NextDouble();
                continue;
            }
            var offset = user.Segment * n;
            for (var i = 0; i < n; i++)
                row[i] = (_stats.Clicks[offset + i] + _alpha) / (_stats.Impressions[offset + i] + _alpha + _beta);
        }
        return new ProposalBatch(n, scores);
    }

    public void Observe(FeedbackBatch feedback) => _stats.Observe(feedback);
}

/// <summary>
/// Beta-Bernoulli Thompson sampling: each item's score is a draw from Beta(α+clicks, β+misses) of the
/// user's segment, drawn afresh per user, so exploration follows the posterior's uncertainty.
/// </summary>
public sealed class ThompsonSamplingPolicy(AgentSpec spec, int segments, int items, int seed, ulong streamKey) : IAgentPolicy
{
    private readonly SegmentClickStatistics _stats = new(segments, items);
    private readonly double _alpha = spec.Get("priorAlpha", 1);
    private readonly double _beta = spec.Get("priorBeta", 10);

    public SegmentClickStatistics Statistics => _stats;

    public ProposalBatch Propose(ProposalRequest request)
    {
        var n = _stats.Items;
        var scores = new float[request.Users.Length * n];
        for (var u = 0; u < request.Users.Length; u++)
        {
            var user = request.Users[u];
            var row = scores.AsSpan(u * n, n);
            var rng = SimRandom.For(seed, streamKey, (ulong)request.Round, (ulong)user.UserIndex);
            var offset = user.Segment * n;
            for (var i = 0; i < n; i++)
            {
                double clicks = _stats.Clicks[offset + i], shown = _stats.Impressions[offset + i];
                row[i] = (float)rng.NextBeta(_alpha + clicks, _beta + Math.Max(0, shown - clicks));
            }
        }
        return new ProposalBatch(n, scores);
    }

    public void Observe(FeedbackBatch feedback) => _stats.Observe(feedback);
}
