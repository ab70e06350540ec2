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

    /// <summary>
    /// Expected CTR per user segment over every round, or only those from <paramref name="firstRound"/> on
    /// (an empty array when the reports carry no segment breakdown; NaN for a segment without slates).
    /// </summary>
    public static double[] ExpectedCtrBySegment(IReadOnlyList<RoundReport> rounds, int firstRound = 0)
    {
        var segments = rounds.Select(r => r.SegmentSlates?.Length ?? 0).DefaultIfEmpty(0).Max();
        var slates = new long[segments];
        var expected = new double[segments];
        foreach (var r in rounds)
        {
            if (r.Round < firstRound || r.SegmentSlates is not { } counts) continue;
            for (var g = 0; g < counts.Length; g++) { slates[g] += counts[g]; expected[g] += r.SegmentExpectedClicks![g]; }
        }
        return [.. expected.Select((e, g) => slates[g] == 0 ? double.NaN : e / slates[g])];
    }

    /// <summary>
    /// Expected CTR per shard (the shards of round 0, in shard order) over every round, or only those from
    /// <paramref name="firstRound"/> on: arms on the same users have the same shards, so two arms' figures
    /// pair shard by shard (NaN for a shard without slates).
    /// </summary>
    public static double[] ExpectedCtrByShard(IReadOnlyList<RoundReport> rounds, int firstRound = 0)
    {
        var shards = rounds.Select(r => r.ShardSlates?.Length ?? 0).DefaultIfEmpty(0).Min();
        var slates = new long[shards];
        var expected = new double[shards];
        foreach (var r in rounds)
        {
            if (r.Round < firstRound) continue;
            for (var j = 0; j < shards; j++) { slates[j] += r.ShardSlates![j]; expected[j] += r.ShardExpectedClicks![j]; }
        }
        return [.. expected.Select((e, j) => slates[j] == 0 ? double.NaN : e / slates[j])];
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
