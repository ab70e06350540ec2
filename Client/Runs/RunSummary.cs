using MultiAgentRec.Contracts;

namespace MultiAgentRec.Client.Runs;

/// <summary>The figures reported for one arm over a span of rounds (see the design brief for definitions).</summary>
public sealed record ArmMetrics(double Ctr, double ExpectedCtr, double Regret, double Ndcg, double Coverage, double Diversity, double Engagement, long Slates);

/// <summary>Turns per-round sums into the rates of summary.json, report.md and the results table.</summary>
public static class RunSummary
{
    /// <summary>Metrics over every round, or only those from <paramref name="firstRound"/> on.</summary>
    public static ArmMetrics Compute(IReadOnlyList<RoundReport> rounds, int catalogSize, int firstRound = 0)
    {
        long slates = 0, clicks = 0;
        double expected = 0, regret = 0, ndcg = 0, diversity = 0, engagement = 0;
        var shown = new HashSet<int>();
        foreach (var r in rounds)
        {
            if (r.Round < firstRound) continue;
            slates += r.Slates; clicks += r.Clicks;
            expected += r.SumExpectedClick; regret += r.SumRegret; ndcg += r.SumNdcg;
            diversity += r.SumDiversity; engagement += r.SumEngagement;
            shown.UnionWith(r.ItemsShown);
        }
        double Per(double x) => slates == 0 ? 0 : x / slates;
        return new ArmMetrics(Per(clicks), Per(expected), Per(regret), Per(ndcg), (double)shown.Count / catalogSize, Per(diversity), Per(engagement), slates);
    }

    /// <summary>First round of the last quarter: the last ⌈R/4⌉ rounds (at least one).</summary>
    public static int LastQuarterStart(int rounds) => rounds - Math.Max(1, (rounds + 3) / 4);

    /// <summary>Final weight of each agent in the ensemble arm (or its solo arm when there is no ensemble).</summary>
    public static IReadOnlyDictionary<string, double> FinalWeights(RunResult result)
    {
        var weights = new Dictionary<string, double>();
        if (result.Rounds.TryGetValue(Names.Ensemble, out var ensemble) && ensemble.Length > 0)
            foreach (var w in ensemble[^1].Weights) weights[w.AgentId] = w.Weight;
        return weights;
    }
}
