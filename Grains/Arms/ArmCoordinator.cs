using MultiAgentRec.Contracts;
using MultiAgentRec.Coordination;

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
    private readonly int _users, _items;

    public ArmCoordinator(SimulationSpec spec, string arm)
    {
        Arm = arm;
        _agents = ArmAgents.Of(spec, arm);
        _users = spec.Users.Count;
        _items = spec.Catalog.Items;
        _weighted = spec.Coordinator.Aggregation != Names.Borda;
        if (_agents.Length > 0)
            _hedge = new HedgeWeighting(_agents.Length, spec.Coordinator.HedgeFloor, spec.Coordinator.HedgeLearningRate, spec.Rounds);
    }

    public string Arm { get; }
    public IReadOnlyList<AgentSpec> Agents => _agents;
    public HedgeWeighting? Hedge => _hedge;

    /// <summary>The weights every shard aggregates with this round.</summary>
    public double[] Weights() => _hedge is null ? [] : _weighted ? _hedge.Weights.ToArray() : Enumerable.Repeat(1.0 / _agents.Length, _agents.Length).ToArray();

    /// <summary>
    /// Adds up the shards' reports (in shard order), credits the agents and updates the weights:
    /// an agent's Hedge loss for the round is 1 − its credited clicks / users.
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
            if (_weighted) _hedge.Update(credited.Select(c => 1 - c / _users).ToArray());
            var current = Weights();
            weights = _agents.Select((a, i) => new AgentWeight(a.Id, current[i], credited[i])).ToArray();
        }
        var items = Enumerable.Range(0, _items).Where(i => shown[i]).ToArray();
        return new RoundReport(Arm, round, slates, clicks, expected, regret, ndcg, diversity, engagement, items, weights, sessionsEnded, seconds);
    }
}
