using MultiAgentRec.Contracts;
using MultiAgentRec.Coordination;
using MultiAgentRec.Simulation;

namespace MultiAgentRec.Arms;

/// <summary>
/// What is arm-wide, in plain code: the agents' aggregation weights (Hedge from fair credit, for
/// everyone or per user segment, or fixed uniform: <see cref="SegmentedHedgeWeighting"/>) and the
/// reduction of the shards' reports into the round's report.
/// Reports are added in shard order, so sums do not depend on which shard finished first.
/// </summary>
public sealed class ArmCoordinator
{
    private readonly AgentSpec[] _agents;
    private readonly SegmentedHedgeWeighting? _hedge;
    private readonly int _items;
    private readonly SimulationSpec _spec;
    private readonly ShardPlan[] _layout;

    public ArmCoordinator(SimulationSpec spec, string arm)
    {
        Arm = arm;
        _agents = ArmAgents.Of(spec, arm);
        _spec = spec;
        _layout = ShardLayout.For(spec);
        _items = spec.Catalog.Items;
        var c = spec.Coordinator;
        if (_agents.Length > 0)
        {
            // A row's round loss is a mean over its users: the users at the start, split evenly over the rows.
            var rows = c.WeightRows(spec.Users.Segments);
            _hedge = new SegmentedHedgeWeighting(rows, _agents.Length, learn: c.Weights != Names.UniformWeights,
                c.HedgeFloor, c.HedgeLearningRate, spec.Rounds, c.WeightDiscount, decisionsPerRound: (double)spec.Users.Count / rows);
        }
    }

    public string Arm { get; }
    public IReadOnlyList<AgentSpec> Agents => _agents;
    public SegmentedHedgeWeighting? Hedge => _hedge;

    /// <summary>Which agents of the arm propose in <paramref name="round"/> (<see cref="AgentSchedule"/>).</summary>
    public bool[] Active(int round) => AgentSchedule.Active(_spec, Arm, _agents, round);

    /// <summary>The shards (a prefix of <see cref="ShardLayout.For"/>) that play <paramref name="round"/>.</summary>
    public int ShardsPlaying(int round) => ShardLayout.PlayingIn(_layout, round);

    /// <summary>The weights every shard aggregates with this round: weight rows × agents, row-major.</summary>
    public double[] Weights() => _hedge is null ? [] : _hedge.Flattened();

    /// <summary>
    /// The weights every shard aggregates with in <paramref name="round"/>: in every row, absent agents
    /// 0 and the others renormalised (<see cref="ActiveAgentWeights"/>).
    /// </summary>
    public double[] WeightsAt(int round)
    {
        var all = Weights();
        if (all.Length == 0) return all;
        var active = Active(round);
        for (var r = 0; r < all.Length / _agents.Length; r++)
            ActiveAgentWeights.Renormalise(all.AsSpan(r * _agents.Length, _agents.Length), active).CopyTo(all, r * _agents.Length);
        return all;
    }

    /// <summary>
    /// Adds up the shards' reports (in shard order), credits the agents and updates the weights: in
    /// each weight row, an agent's Hedge loss for the round is 1 − its fair credit (estimated clicks of
    /// its own solo policy) per slate shown in that row; an absent agent is charged the present ones'
    /// mean loss (<see cref="ActiveAgentWeights"/>). The reported weight of an agent is its mean
    /// over the rows, weighted by the row's slates this round. <paramref name="shards"/> are the
    /// reports of the shards that played, in shard order.
    /// </summary>
    public RoundReport Reduce(int round, IReadOnlyList<ShardReport> shards, double seconds)
    {
        int slates = 0, clicks = 0, sessionsEnded = 0;
        double expected = 0, regret = 0, ndcg = 0, diversity = 0, engagement = 0;
        var rows = _hedge?.Rows ?? 1;
        var estimated = new double[rows * _agents.Length];
        var rowSlates = new int[rows];
        var shown = new bool[_items];
        var segmentSlates = new int[shards.Select(s => s.SegmentSlates?.Length ?? 0).DefaultIfEmpty(0).Max()];
        var segmentExpected = new double[segmentSlates.Length];
        foreach (var s in shards)
        {
            for (var g = 0; g < (s.SegmentSlates?.Length ?? 0); g++) { segmentSlates[g] += s.SegmentSlates![g]; segmentExpected[g] += s.SegmentExpectedClicks![g]; }
            slates += s.Slates; clicks += s.Clicks; sessionsEnded += s.SessionsEnded;
            expected += s.SumExpectedClick; regret += s.SumRegret; ndcg += s.SumNdcg;
            diversity += s.SumDiversity; engagement += s.SumEngagement;
            foreach (var item in s.ItemsShown) shown[item] = true;
            for (var i = 0; i < estimated.Length; i++) estimated[i] += s.EstimatedClicks[i];
            for (var r = 0; r < rows; r++) rowSlates[r] += s.RowSlates[r];
        }
        var weights = Array.Empty<AgentWeight>();
        if (_hedge is { } hedge)
        {
            var active = Active(round);
            hedge.Update(estimated, rowSlates, active);
            var current = WeightsAt(round);
            weights = _agents.Select((a, i) => new AgentWeight(a.Id, MeanWeight(current, rows, i, rowSlates), Enumerable.Range(0, rows).Sum(r => estimated[r * _agents.Length + i]))).ToArray();
        }
        var items = Enumerable.Range(0, _items).Where(i => shown[i]).ToArray();
        return new RoundReport(Arm, round, slates, clicks, expected, regret, ndcg, diversity, engagement, items, weights, sessionsEnded, seconds, CohortFigures(shards), segmentSlates, segmentExpected,
            [.. shards.Select(s => s.Slates)], [.. shards.Select(s => s.SumExpectedClick)]);
    }

    /// <summary>Each cohort that has joined: the sums of its own shards' reports (null when the scenario has no cohorts).</summary>
    private CohortRoundFigures[]? CohortFigures(IReadOnlyList<ShardReport> shards)
    {
        if (_layout[^1].Cohort < 0) return null;
        var figures = new Dictionary<int, CohortRoundFigures>();
        for (var i = 0; i < shards.Count; i++)
        {
            var cohort = _layout[i].Cohort;
            if (cohort < 0) continue;
            var s = shards[i];
            figures[cohort] = figures.TryGetValue(cohort, out var f)
                ? f with { Slates = f.Slates + s.Slates, Clicks = f.Clicks + s.Clicks, SumExpectedClick = f.SumExpectedClick + s.SumExpectedClick, SumRegret = f.SumRegret + s.SumRegret }
                : new CohortRoundFigures(cohort, s.Slates, s.Clicks, s.SumExpectedClick, s.SumRegret);
        }
        return [.. figures.Values.OrderBy(f => f.Cohort)];
    }

    private double MeanWeight(double[] flattened, int rows, int agent, int[] rowSlates)
    {
        double sum = 0, total = 0;
        for (var r = 0; r < rows; r++)
        {
            // A round without slates (none can happen today) would weigh rows equally.
            double share = rowSlates.Sum() == 0 ? 1 : rowSlates[r];
            sum += share * flattened[r * _agents.Length + agent];
            total += share;
        }
        return sum / total;
    }
}
