using MultiAgentRec.Contracts;
using MultiAgentRec.Coordination;
using MultiAgentRec.Simulation;

namespace MultiAgentRec.Agents;

/// <summary>
/// Proposes candidates for a value-based agent from its snapshot, in plain C# (the networks' forward
/// pass is <see cref="PolicyScorer"/>'s). Each user's state is <see cref="ValueFeatures"/>.
/// <list type="bullet">
/// <item>DQN: the user's top N items by Q(s, i), scored by Q.</item>
/// <item>SlateQ: the paper's top-k heuristic (Ie et al. 2019, §5): items in decreasing order of
/// exp(v(s, i))·Q̄(s, i), the item's share of the slate value Q(s, A) = Σ P(i|s, A) Q̄(s, i) before
/// normalising by the slate's choice total; scored by its logarithm v(s, i) + ln Q̄(s, i), which
/// keeps the order and spreads scores like DQN's for the coordinator's z-scores. Q̄ is a value of
/// clicks, so never negative in truth; an untrained network's Q̄ below <see cref="MinItemValue"/>
/// counts as that floor.</item>
/// </list>
/// The coordinator then samples the slate from these scores (Plackett-Luce at its temperature), so
/// the top-k slate is the most likely one and the softmax is the agent's main exploration. On top,
/// with probability <c>epsilon</c> per user and round (a draw keyed by seed, agent, user and round),
/// the agent proposes N uniformly drawn items instead, still scored by their values, so every item
/// keeps being tried however sure the network is.
/// </summary>
public sealed class ValueScorer : ICandidateProposer
{
    private readonly World _world;
    private readonly PolicyScorer _q;
    private readonly PolicyScorer? _choice;
    private readonly double _epsilon;
    private readonly ulong _streamKey;

    /// <summary>Floor of Q̄ in SlateQ's log score: a tenth of a percent of one click.</summary>
    public const float MinItemValue = 1e-3f;

    public ValueScorer(PolicySnapshot snapshot, World world, AgentSpec spec, ulong streamKey)
    {
        _world = world;
        _q = new PolicyScorer(ValueNetworks.Part(snapshot, ValueNetworks.Q), world);
        if (spec.Kind == Names.SlateQ) _choice = new PolicyScorer(ValueNetworks.Part(snapshot, ValueNetworks.Choice), world);
        _epsilon = spec.Get("epsilon", 0.05);
        _streamKey = streamKey;
    }

    /// <summary>
    /// Writes every item's proposal score for one state into the first Catalog.Count entries of
    /// <paramref name="scores"/>; both buffers at least <see cref="PaddedItems"/> long,
    /// <paramref name="scratch"/> for SlateQ's choice scores.
    /// </summary>
    public void Scores(ReadOnlySpan<float> state, Span<float> scores, Span<float> scratch)
    {
        _q.Logits(state, scores);
        if (_choice is null) return;
        var items = _world.Catalog.Count;
        var v = scratch;
        _choice.Logits(state, v);
        for (var i = 0; i < items; i++) scores[i] = v[i] + MathF.Log(Math.Max(scores[i], MinItemValue));
    }

    public int PaddedItems => _q.PaddedItems;

    /// <summary>Each user's candidates among the items that exist in <paramref name="round"/> (<see cref="ScenarioTimeline.AvailableItems"/>).</summary>
    public void Propose(int round, ReadOnlySpan<SimulatedUser> users, CandidateSet output)
    {
        var items = Math.Min(_world.Catalog.Count, _world.Timeline.AvailableItems(round));
        var n = Math.Min(output.PerUser, items);
        var state = new float[ValueFeatures.Size(_world)];
        var scores = new float[PaddedItems];
        var scratch = new float[PaddedItems];
        var shuffled = new int[items];
        for (var u = 0; u < users.Length; u++)
        {
            var user = users[u];
            var recent = user.RecentClicks;
            ValueFeatures.Write(_world, user.Profile, user.Segment, recent.Length > 0 ? recent[^1] : -1, state);
            Scores(state, scores, scratch);
            var row = scores.AsSpan(0, items);
            var (mean, sd) = Standardizer.MeanAndSd(row);
            var chosen = output.ItemRow(u)[..n];
            var rng = SimRandom.For(_world.Seed, _streamKey, (ulong)user.Index, (ulong)round);
            if (rng.NextDouble() < _epsilon)
            {
                // A partial Fisher-Yates shuffle: n distinct items, uniformly.
                for (var i = 0; i < items; i++) shuffled[i] = i;
                for (var i = 0; i < n; i++) { var j = i + rng.NextInt(items - i); (shuffled[i], shuffled[j]) = (shuffled[j], shuffled[i]); }
                shuffled.AsSpan(0, n).CopyTo(chosen);
            }
            else TopK.Select(row, chosen);
            var written = output.ScoreRow(u);
            for (var i = 0; i < n; i++) written[i] = row[chosen[i]];
            output.Set(u, n, (float)mean, (float)sd);
        }
    }
}
