using System.Diagnostics;
using MultiAgentRec.Agents;
using MultiAgentRec.Contracts;
using MultiAgentRec.Coordination;
using MultiAgentRec.Hosting;
using MultiAgentRec.Simulation;

namespace MultiAgentRec.Arms;

/// <summary>
/// One shard of an arm's users and everything a round does for them, in plain code: proposals from
/// every agent, aggregation over the union of candidates, Plackett-Luce slate sampling with logged
/// propensities, the user steps, credit, and the feedback rows for the agents. The shard grain runs
/// it in one turn; the benchmark's tight loop runs the same class without grains. Every random draw
/// is keyed by (seed, user, round), so the result does not depend on where or when a shard runs.
/// Working buffers are allocated once and reused every round; what becomes a message is allocated per round.
/// </summary>
public sealed class ShardSimulation
{
    private static readonly ulong SlateKey = SimRandom.Key("coordinator-slate");
    private static readonly ulong RandomKey = SimRandom.Key("random-slate");
    private static readonly ulong PickKey = SimRandom.Key("coordinator-pick");

    private readonly World _world;
    private readonly SimulatedUser[] _users;
    private readonly int _agentCount, _perAgent;
    private readonly IAggregationRule? _rule;
    private readonly SoloPolicyCredit _credit;
    private readonly float[] _ownScores;
    private readonly double[] _pickScratch;
    private readonly bool _oracle;
    private readonly int[]? _fixedSlates;
    private readonly int[] _clicked, _unionItems, _slotIndex, _shown, _oracleSlate;
    private readonly float[] _unionScores;
    private readonly double[] _samplingScratch;
    private readonly bool[] _shownThisRound;
    private readonly float[] _batchCoefficients, _batchUtilities;

    /// <summary>
    /// Users whose utilities are computed together: one pass over the catalog panel serves them all
    /// (a 3,000-item panel is 300 KB, past a core's fast caches, so streaming it once per user cost
    /// more than the arithmetic). Users of a shard are independent within a round, so computing
    /// their utilities ahead of their steps changes nothing.
    /// </summary>
    public const int UtilityBatch = 16;

    private readonly TagList _tags;

    /// <param name="tags">Labels of this shard's step metrics (run and arm, <see cref="Telemetry.RunArmTags"/>).</param>
    public ShardSimulation(World world, string arm, int shardIndex, int agentCount, TagList tags = default)
    {
        _world = world;
        _tags = tags;
        var spec = world.Spec;
        Index = shardIndex;
        var layout = ShardLayout.For(spec);
        if (shardIndex < 0 || shardIndex >= layout.Length) throw new ArgumentOutOfRangeException(nameof(shardIndex), $"arm '{arm}' has {layout.Length} shards, not {shardIndex + 1}");
        var plan = layout[shardIndex];
        (FirstUser, JoinRound, Cohort) = (plan.FirstUser, plan.JoinRound, plan.Cohort);
        _shiftedThrough = JoinRound;
        var count = plan.Count;
        if (count <= 0) throw new ArgumentOutOfRangeException(nameof(shardIndex), $"shard {shardIndex} of arm '{arm}' has no users");
        _users = new SimulatedUser[count];
        for (var i = 0; i < count; i++) _users[i] = new SimulatedUser(world, FirstUser + i);
        _oracle = arm == Names.Oracle;
        _fixedSlates = arm == Names.PopularityOracle ? PopularityOracle.SlatesOf(world) : null;
        var k = spec.SlateSize;
        var perAgent = Math.Min(spec.CandidatesPerAgent, world.Catalog.Count);
        (_agentCount, _perAgent) = (agentCount, perAgent);
        _rule = AggregationRules.For(spec.Coordinator.Aggregation, agentCount, k);
        _credit = new SoloPolicyCredit(k, spec.Coordinator.Temperature, spec.Coordinator.CreditClip);
        _ownScores = new float[perAgent];
        _pickScratch = new double[2 * agentCount];
        _clicked = new int[count];
        _unionItems = new int[Math.Max(k, agentCount * perAgent)];
        _unionScores = new float[_unionItems.Length];
        _samplingScratch = new double[_unionItems.Length + k];
        _slotIndex = new int[k];
        _shown = new int[k];
        _oracleSlate = new int[k];
        _shownThisRound = new bool[world.Catalog.Count];
        _batchCoefficients = new float[UtilityBatch * world.Catalog.PanelRows];
        _batchUtilities = new float[UtilityBatch * world.Catalog.PaddedCount];
    }

    public int Index { get; }
    public int FirstUser { get; }

    /// <summary>The round this shard's users take their first step: 0, or their cohort's round.</summary>
    public int JoinRound { get; }

    /// <summary>The cold-start cohort of this shard's users, or −1 for the scenario's own users.</summary>
    public int Cohort { get; }

    // Preference shifts up to this round are in the users' interests (those up to their joining are in their centroids).
    private int _shiftedThrough;
    public int Count => _users.Length;
    public ReadOnlySpan<SimulatedUser> Users => _users;

    /// <summary>
    /// Plays one round. <paramref name="proposers"/> holds one proposer per agent of the arm (none for
    /// the random, popularity-oracle and oracle arms; null for an agent absent this round, see
    /// <see cref="AgentSchedule"/>); <paramref name="weights"/> their aggregation weights, one row of
    /// agents' weights per weight row (a user of segment s uses row s when there is a row per segment).
    /// The round's events come first: preference shifts move the users' interests, and every candidate
    /// list must hold only the items that exist this round (<see cref="ItemAvailability"/>), so no
    /// agent kind can show a future item.
    /// </summary>
    public ShardRoundResult RunRound(int round, IReadOnlyList<ICandidateProposer?> proposers, ReadOnlySpan<double> weights, bool banditFeedback, bool trajectories)
    {
        var spec = _world.Spec;
        var catalog = _world.Catalog;
        int n = _users.Length, k = spec.SlateSize, items = catalog.Count, agents = proposers.Count;
        if (agents != _agentCount) throw new ArgumentException($"expected {_agentCount} proposers, got {proposers.Count}");
        if (round < JoinRound) throw new ArgumentOutOfRangeException(nameof(round), $"shard {Index}'s users join at round {JoinRound}, not before");
        ApplyPreferenceShifts(round);
        var available = _world.Timeline.AvailableItems(round);
        var present = new List<int>(agents);
        for (var a = 0; a < agents; a++) if (proposers[a] is not null) present.Add(a);

        // Per-round buffers: candidates come from a pool shared by the shards running at the same
        // time (a few per core), so a million users do not each hold candidate lists between rounds;
        // the slates, propensities and features become the feedback messages themselves.
        var candidates = new CandidateSet[agents];
        var presentCandidates = new CandidateSet[present.Count];
        var presentWeights = new double[present.Count];
        for (var i = 0; i < present.Count; i++)
        {
            var a = present[i];
            presentCandidates[i] = candidates[a] = CandidateSetPool.Rent(n, _perAgent);
            proposers[a]!.Propose(round, _users, candidates[a]);
            if (available < items) ItemAvailability.CheckProposals(candidates[a], n, available, k, round, $"agent {a} ({proposers[a]!.GetType().Name})");
        }
        var featureSize = trajectories ? PolicyFeatures.Size(_world) : 0;
        var slates = new int[n * k];
        var allPropensities = new float[n * k];
        var features = trajectories ? new float[n * featureSize] : [];

        var credited = new int[agents];
        var weightRows = agents == 0 ? 1 : Math.Max(1, weights.Length / agents);
        var estimated = new double[weightRows * agents];
        var rowSlates = new int[weightRows];
        var segmentSlates = new int[spec.Users.Segments];
        var segmentExpected = new double[spec.Users.Segments];
        var presentCredit = new double[present.Count];
        int clicks = 0, sessionsEnded = 0;
        double sumExpected = 0, sumRegret = 0, sumNdcg = 0, sumDiversity = 0, sumEngagement = 0;
        Array.Clear(_shownThisRound);
        int rows = catalog.PanelRows, padded = catalog.PaddedCount;
        for (var u = 0; u < n; u++)
        {
            var user = _users[u];
            var inBatch = u % UtilityBatch;
            if (inBatch == 0)
            {
                var batch = Math.Min(UtilityBatch, n - u);
                for (var j = 0; j < batch; j++) _users[u + j].UtilityCoefficients(_batchCoefficients.AsSpan(j * rows, rows));
                VectorMath.PanelProduct(catalog.UtilityPanel, rows, catalog.PanelWidth, _batchCoefficients.AsSpan(0, batch * rows), _batchUtilities.AsSpan(0, batch * padded), batch);
            }
            var slate = slates.AsSpan(u * k, k);
            var propensities = allPropensities.AsSpan(u * k, k);
            var row = weightRows > 1 ? user.Segment : 0;
            // The weights of the agents present this round (absent ones have weight 0 and no candidates).
            for (var i = 0; i < present.Count; i++) presentWeights[i] = weights[row * agents + present[i]];
            var rowWeights = presentWeights.AsSpan();
            var unionCount = 0;
            if (present.Count > 0 && _rule is not null)
            {
                unionCount = _rule.Aggregate(presentCandidates, u, available, rowWeights, _unionItems, _unionScores);
                var rng = SimRandom.For(spec.Seed, SlateKey, (ulong)user.Index, (ulong)round);
                SlateSampling.PlackettLuce(_unionScores.AsSpan(0, unionCount), spec.Coordinator.Temperature, ref rng, _slotIndex, propensities, _samplingScratch);
                for (var slot = 0; slot < k; slot++) slate[slot] = _unionItems[_slotIndex[slot]];
            }
            else if (_fixedSlates is not null)
            {
                _fixedSlates.AsSpan(user.Segment * k, k).CopyTo(slate);
                propensities.Fill(1);
            }
            else if (present.Count > 0)
            {
                // Pick mode: one agent's own sample, logged with the mixture's propensities.
                var pickRng = SimRandom.For(spec.Seed, PickKey, (ulong)user.Index, (ulong)round);
                var picked = presentCandidates[AgentPicking.Pick(rowWeights, ref pickRng)];
                var own = picked.ItemsOf(u);
                SoloPolicyCredit.OwnScores(picked, u, _ownScores);
                var rng = SimRandom.For(spec.Seed, SlateKey, (ulong)user.Index, (ulong)round);
                SlateSampling.PlackettLuce(_ownScores.AsSpan(0, own.Length), spec.Coordinator.Temperature, ref rng, _slotIndex, propensities, _samplingScratch);
                for (var slot = 0; slot < k; slot++) slate[slot] = own[_slotIndex[slot]];
                AgentPicking.MixturePropensities(presentCandidates, u, rowWeights, spec.Coordinator.Temperature, slate, propensities, _pickScratch);
            }
            else if (!_oracle)
            {
                var rng = SimRandom.For(spec.Seed, RandomKey, (ulong)user.Index, (ulong)round);
                SlateSampling.Uniform(available, ref rng, slate, propensities);
            }
            if (trajectories) PolicyFeatures.Write(user.Profile, user.Segment, features.AsSpan(u * featureSize, featureSize));

            var started = Stopwatch.GetTimestamp();
            var r = user.Step(round, _oracle ? [] : slate, _shown, _batchUtilities.AsSpan(inBatch * padded, padded), _oracleSlate, available);
            Telemetry.StepDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, _tags);
            if (_oracle) { _shown.CopyTo(slate); propensities.Fill(1); }

            _clicked[u] = r.ClickedPosition;
            if (r.ClickedPosition >= 0)
            {
                clicks++;
                var item = slate[r.ClickedPosition];
                // An agent is credited with a click when the clicked item is in its own top-k.
                foreach (var a in present)
                {
                    var top = candidates[a].ItemsOf(u);
                    if (top[..Math.Min(k, top.Length)].Contains(item)) credited[a]++;
                }
                if (present.Count > 0)
                {
                    Array.Clear(presentCredit);
                    CreditClick(presentCandidates, u, item, rowWeights, _rule is null ? -1 : _slotIndex[r.ClickedPosition], unionCount, presentCredit);
                    for (var i = 0; i < present.Count; i++) estimated[row * agents + present[i]] += presentCredit[i];
                }
            }
            if (agents > 0) rowSlates[row]++;
            if (r.SessionEnded) sessionsEnded++;
            sumExpected += r.ExpectedClick;
            segmentSlates[user.Segment]++;
            segmentExpected[user.Segment] += r.ExpectedClick;
            sumRegret += r.OracleExpectedClick - r.ExpectedClick;
            sumNdcg += r.Ndcg;
            sumEngagement += r.Engagement;
            sumDiversity += catalog.Diversity(slate);
            foreach (var item in slate) _shownThisRound[item] = true;
        }

        foreach (var c in presentCandidates) CandidateSetPool.Return(c);
        var shownItems = new List<int>();
        for (var i = 0; i < items; i++) if (_shownThisRound[i]) shownItems.Add(i);
        var report = new ShardReport(n, clicks, sumExpected, sumRegret, sumNdcg, sumDiversity, sumEngagement, [.. shownItems], credited, sessionsEnded, estimated, rowSlates, segmentSlates, segmentExpected);
        return new ShardRoundResult(report,
            banditFeedback ? SegmentFeedbackOf(round, slates) : null,
            trajectories ? TrajectoriesOf(round, featureSize, features, slates, allPropensities) : null);
    }

    /// <summary>
    /// Adds each agent's fair credit for a click on <paramref name="item"/> (<see cref="SoloPolicyCredit"/>):
    /// its solo policy's inclusion probability of the item over the logging policy's. The logging policy
    /// is the PL over the union's combined scores (<paramref name="unionIndex"/> the item's place there),
    /// or in pick mode (index −1) the weight-mixture of the solo policies. A solo arm's policy is its
    /// logging policy, so its ratio is exactly 1.
    /// </summary>
    private void CreditClick(CandidateSet[] candidates, int u, int item, ReadOnlySpan<double> weights, int unionIndex, int unionCount, Span<double> credit)
    {
        if (candidates.Length == 1) { credit[0] += 1; return; }
        Span<double> inclusion = candidates.Length <= 64 ? stackalloc double[candidates.Length] : new double[candidates.Length];
        for (var a = 0; a < candidates.Length; a++)
        {
            var own = candidates[a].ItemsOf(u);
            var at = own.IndexOf(item);
            if (at < 0) { inclusion[a] = 0; continue; }
            SoloPolicyCredit.OwnScores(candidates[a], u, _ownScores);
            inclusion[a] = _credit.Inclusion(_ownScores.AsSpan(0, own.Length), at, _samplingScratch);
        }
        double logging = 0;
        if (unionIndex >= 0) logging = _credit.Inclusion(_unionScores.AsSpan(0, unionCount), unionIndex, _samplingScratch);
        else for (var a = 0; a < candidates.Length; a++) logging += weights[a] * inclusion[a];
        for (var a = 0; a < candidates.Length; a++) credit[a] += _credit.Credit(inclusion[a], logging);
    }

    /// <summary>Adds to the users' interests every preference shift after they joined, up to <paramref name="round"/>.</summary>
    private void ApplyPreferenceShifts(int round)
    {
        var d = _world.Catalog.Dim;
        foreach (var shift in _world.Timeline.Shifts)
        {
            if (shift.Round <= _shiftedThrough || shift.Round > round) continue;
            foreach (var user in _users) user.ShiftInterest(shift.Deltas.AsSpan(user.Segment * d, d));
        }
        _shiftedThrough = Math.Max(_shiftedThrough, round);
    }

    /// <summary>The round's impressions and clicks per (segment, item) cell and slot, ascending by (cell, slot).</summary>
    private SegmentClickFeedback SegmentFeedbackOf(int round, int[] slates)
    {
        int n = _users.Length, k = _world.SlateSize, items = _world.Catalog.Count;
        // Key = cell × k + slot: sorting the keys sorts by cell, then by slot.
        var keys = new long[n * k];
        var isClick = new int[n * k];
        for (var u = 0; u < n; u++)
        {
            var row = (long)_users[u].Segment * items;
            for (var slot = 0; slot < k; slot++)
            {
                keys[u * k + slot] = (row + slates[u * k + slot]) * k + slot;
                isClick[u * k + slot] = _clicked[u] == slot ? 1 : 0;
            }
        }
        Array.Sort(keys, isClick);
        var outKeys = new List<long>();
        var impressions = new List<int>();
        var clicks = new List<int>();
        for (var i = 0; i < keys.Length; i++)
        {
            if (outKeys.Count == 0 || outKeys[^1] != keys[i]) { outKeys.Add(keys[i]); impressions.Add(0); clicks.Add(0); }
            impressions[^1]++;
            clicks[^1] += isClick[i];
        }
        var cells = outKeys.Select(key => (int)(key / k)).ToArray();
        var slots = outKeys.Select(key => (int)(key % k)).ToArray();
        return new SegmentClickFeedback(round, Index, cells, [.. impressions], [.. clicks], slots);
    }

    private TrajectoryBatch TrajectoriesOf(int round, int featureSize, float[] features, int[] slates, float[] propensities)
    {
        int n = _users.Length, k = _world.SlateSize;
        var rewards = new float[n * k];
        for (var u = 0; u < n; u++)
            if (_clicked[u] >= 0) rewards[u * k + _clicked[u]] = 1;
        return new TrajectoryBatch(n, featureSize, features, k, slates, propensities, rewards, round, Index);
    }

    /// <summary>One user's current context.</summary>
    public UserContext ContextOf(int userIndex)
    {
        var user = _users[userIndex - FirstUser];
        return new UserContext(user.Index, user.Segment, (float[])user.Profile.Clone(), user.RecentClicks);
    }
}
