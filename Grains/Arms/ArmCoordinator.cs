using MultiAgentRec.Contracts;
using MultiAgentRec.Coordination;
using MultiAgentRec.Simulation;

namespace MultiAgentRec.Arms;

/// <summary>
/// What is arm-wide, in plain code: the agents' aggregation weights (Hedge under weighted averaging,
/// uniform and unused under Borda) and the reduction of the shards' reports into the round's report.
/// Reports are added in shard order, so sums do not depend on which shard finished first.
/// </summary>
public sealed class ArmCoordinator
{
    private readonly AgentSpec[] _agents;
    private readonly HedgeWeighting? _hedge;
    private readonly bool _weighted;
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
        _weighted = spec.Coordinator.Aggregation != Names.Borda;
        if (_agents.Length > 0)
            _hedge = new HedgeWeighting(_agents.Length, spec.Coordinator.HedgeFloor, spec.Coordinator.HedgeLearningRate, spec.Rounds);
    }

    public string Arm { get; }
    public IReadOnlyList<AgentSpec> Agents => _agents;
    public HedgeWeighting? Hedge => _hedge;

    /// <summary>Which agents of the arm propose in <paramref name="round"/> (<see cref="AgentSchedule"/>).</summary>
    public bool[] Active(int round) => AgentSchedule.Active(_spec, Arm, _agents, round);

    /// <summary>The shards (a prefix of <see cref="ShardLayout.For"/>) that play <paramref name="round"/>.</summary>
    public int ShardsPlaying(int round) => ShardLayout.PlayingIn(_layout, round);

    /// <summary>The weights every shard aggregates with in <paramref name="round"/>: absent agents 0, the others renormalised.</summary>
    public double[] WeightsAt(int round) => ActiveAgentWeights.Renormalise(Weights(), Active(round));

    /// <summary>The weights every shard aggregates with this round.</summary>
    public double[] Weights() => _hedge is null ? [] : _weighted ? _hedge.Weights.ToArray() : Enumerable.Repeat(1.0 / _agents.Length, _agents.Length).ToArray();

    /// <summary>
    /// Adds up the shards' reports (in shard order), credits the agents and updates the weights:
    /// an agent's Hedge loss for the round is 1 − its credited clicks / users who took a step; an
    /// absent agent is charged the present ones' mean loss (<see cref="ActiveAgentWeights"/>).
    /// <paramref name="shards"/> are the reports of the shards that played, in shard order.
    /// </summary>
    public RoundReport Reduce(int round, IReadOnlyList<ShardReport> shards, double seconds)
    {
        int slates = 0, clicks = 0, sessionsEnded = 0;
        double expected = 0, regret = 0, ndcg = 0, diversity = 0, engagement = 0;
        var credited = new double[_agents.Length];
        var shown = new bool[_items];
        foreach (var s in shards)
        {
            slates += s.Slates; clicks += s.Clicks; sessionsEnded += s.SessionsEnded;
            expected += s.SumExpectedClick; regret += s.SumRegret; ndcg += s.SumNdcg;
            diversity += s.SumDiversity; engagement += s.SumEngagement;
            foreach (var item in s.ItemsShown) shown[item] = true;
            for (var a = 0; a < credited.Length; a++) credited[a] += s.CreditedClicks[a];
        }
        var weights = Array.Empty<AgentWeight>();
        if (_hedge is not null)
        {
            var active = Active(round);
            if (_weighted)
            {
                var losses = credited.Select(c => 1 - c / Math.Max(1, slates)).ToArray();
                ActiveAgentWeights.ChargeAbsent(losses, active);
                _hedge.Update(losses);
            }
            var current = ActiveAgentWeights.Renormalise(Weights(), active);
            weights = _agents.Select((a, i) => new AgentWeight(a.Id, current[i], credited[i])).ToArray();
        }
        var items = Enumerable.Range(0, _items).Where(i => shown[i]).ToArray();
        return new RoundReport(Arm, round, slates, clicks, expected, regret, ndcg, diversity, engagement, items, weights, sessionsEnded, seconds, CohortFigures(shards));
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
}
