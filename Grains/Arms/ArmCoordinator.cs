using MultiAgentRec.Contracts;
using MultiAgentRec.Coordination;

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

    public ArmCoordinator(SimulationSpec spec, string arm)
    {
        Arm = arm;
        _agents = ArmAgents.Of(spec, arm);
        _items = spec.Catalog.Items;
        var c = spec.Coordinator;
        if (_agents.Length > 0)
            _hedge = new SegmentedHedgeWeighting(c.WeightRows(spec.Users.Segments), _agents.Length, learn: c.Weights != Names.UniformWeights,
                c.HedgeFloor, c.HedgeLearningRate, spec.Rounds, c.WeightDiscount);
    }

    public string Arm { get; }
    public IReadOnlyList<AgentSpec> Agents => _agents;
    public SegmentedHedgeWeighting? Hedge => _hedge;

    /// <summary>The weights every shard aggregates with this round: weight rows × agents, row-major.</summary>
    public double[] Weights() => _hedge is null ? [] : _hedge.Flattened();

    /// <summary>
    /// Adds up the shards' reports (in shard order), credits the agents and updates the weights: in
    /// each weight row, an agent's Hedge loss for the round is 1 − its fair credit (estimated clicks of
    /// its own solo policy) per slate shown in that row. The reported weight of an agent is its mean
    /// over the rows, weighted by the row's slates this round.
    /// </summary>
    public RoundReport Reduce(int round, IReadOnlyList<ShardReport> shards, double seconds)
    {
        int slates = 0, clicks = 0, sessionsEnded = 0;
        double expected = 0, regret = 0, ndcg = 0, diversity = 0, engagement = 0;
        var rows = _hedge?.Rows ?? 1;
        var estimated = new double[rows * _agents.Length];
        var rowSlates = new int[rows];
        var shown = new bool[_items];
        foreach (var s in shards)
        {
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
            hedge.Update(estimated, rowSlates);
            weights = _agents.Select((a, i) => new AgentWeight(a.Id, MeanWeight(hedge, i, rowSlates), Enumerable.Range(0, rows).Sum(r => estimated[r * _agents.Length + i]))).ToArray();
        }
        var items = Enumerable.Range(0, _items).Where(i => shown[i]).ToArray();
        return new RoundReport(Arm, round, slates, clicks, expected, regret, ndcg, diversity, engagement, items, weights, sessionsEnded, seconds);
    }

    private static double MeanWeight(SegmentedHedgeWeighting hedge, int agent, int[] rowSlates)
    {
        double sum = 0, total = 0;
        for (var r = 0; r < hedge.Rows; r++)
        {
            // A round without slates (none can happen today) would weigh rows equally.
            double share = rowSlates.Sum() == 0 ? 1 : rowSlates[r];
            sum += share * hedge.Row(r)[agent];
            total += share;
        }
        return sum / total;
    }
}
