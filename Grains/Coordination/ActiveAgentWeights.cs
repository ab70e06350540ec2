namespace MultiAgentRec.Coordination;

/// <summary>
/// Aggregation weights when agents join or leave the ensemble (<c>addAgent</c> / <c>removeAgent</c>
/// events), on top of whatever rule learns the weights. An absent agent's weight is 0 and the
/// present agents' weights are renormalised to sum to 1. While absent, an agent is charged the
/// present agents' mean loss each round (the "sleeping experts" convention), so its learned standing
/// neither grows nor decays while it cannot earn anything: an agent added mid-run enters with the
/// present agents' mean cumulative loss, i.e. at the geometric mean of their learned (unfloored)
/// Hedge weights, neither favoured nor starved; a removed and re-added agent comes back with the
/// gap to the mean it had when it left.
/// </summary>
public static class ActiveAgentWeights
{
    /// <summary>The weights to aggregate with: zero for absent agents, the others rescaled to sum to 1 (unchanged when all are present).</summary>
    public static double[] Renormalise(ReadOnlySpan<double> weights, ReadOnlySpan<bool> active)
    {
        var result = weights.ToArray();
        if (!active.Contains(false)) return result;
        double total = 0;
        for (var a = 0; a < result.Length; a++)
        {
            if (!active[a]) result[a] = 0;
            total += result[a];
        }
        if (total > 0)
            for (var a = 0; a < result.Length; a++) result[a] /= total;
        return result;
    }

    /// <summary>Sets each absent agent's loss for the round to the mean loss of the present ones.</summary>
    public static void ChargeAbsent(Span<double> losses, ReadOnlySpan<bool> active)
    {
        double sum = 0;
        var present = 0;
        for (var a = 0; a < losses.Length; a++)
            if (active[a]) { sum += losses[a]; present++; }
        if (present == losses.Length) return;
        var mean = present > 0 ? sum / present : 0;
        for (var a = 0; a < losses.Length; a++)
            if (!active[a]) losses[a] = mean;
    }
}
