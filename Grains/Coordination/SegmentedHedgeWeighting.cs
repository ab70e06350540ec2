namespace MultiAgentRec.Coordination;

/// <summary>
/// The coordinator's agent weights as rows × agents: one <see cref="HedgeWeighting"/> per row, a row
/// per user segment (<c>coordinator.weights: segment</c>) or a single row (<c>global</c>); fixed equal
/// weights when not learning (<c>uniform</c>). A segment's row learns only from that segment's users,
/// so agents that win in different segments each get the weight where they win. Shards receive the
/// flattened table every round: rows × agents numbers, never users × anything.
/// </summary>
public sealed class SegmentedHedgeWeighting
{
    private readonly HedgeWeighting[] _rows;

    /// <param name="decisionsPerRound">Users a row's round loss is averaged over (see <see cref="HedgeWeighting.DefaultLearningRate"/>).</param>
    public SegmentedHedgeWeighting(int rows, int agents, bool learn, double floor, double? learningRate, int horizon, double discount, double decisionsPerRound = 1)
    {
        if (rows < 1) throw new ArgumentOutOfRangeException(nameof(rows));
        Agents = agents;
        Learns = learn;
        _rows = Enumerable.Range(0, rows).Select(_ => new HedgeWeighting(agents, floor, learningRate, horizon, discount, decisionsPerRound)).ToArray();
    }

    public int Rows => _rows.Length;
    public int Agents { get; }
    public bool Learns { get; }

    /// <summary>One row's weights (uniform when not learning).</summary>
    public ReadOnlySpan<double> Row(int row) => _rows[row].Weights;

    /// <summary>Every row's weights, row-major (rows × agents).</summary>
    public double[] Flattened()
    {
        var all = new double[Rows * Agents];
        for (var r = 0; r < Rows; r++) _rows[r].Weights.CopyTo(all.AsSpan(r * Agents, Agents));
        return all;
    }

    /// <summary>
    /// Updates each row from its round's estimated clicks and slates: an agent's loss is
    /// 1 − estimated clicks per slate, clamped to Hedge's [0, 1]. A row with no slates this round learns nothing.
    /// Agents marked absent in <paramref name="active"/> (when given) are charged the present agents'
    /// mean loss (<see cref="ActiveAgentWeights.ChargeAbsent"/>).
    /// </summary>
    public void Update(ReadOnlySpan<double> estimatedClicks, ReadOnlySpan<int> slates, ReadOnlySpan<bool> active = default)
    {
        if (!Learns) return;
        var losses = new double[Agents];
        for (var r = 0; r < Rows; r++)
        {
            if (slates[r] == 0) continue;
            for (var a = 0; a < Agents; a++) losses[a] = Math.Clamp(1 - estimatedClicks[r * Agents + a] / slates[r], 0, 1);
            if (!active.IsEmpty) ActiveAgentWeights.ChargeAbsent(losses, active);
            _rows[r].Update(losses);
        }
    }

    /// <summary>All rows' cumulative losses, row-major: with the constructor's arguments, all the state there is.</summary>
    public double[] CumulativeLosses => _rows.SelectMany(r => r.CumulativeLosses).ToArray();

    /// <summary>Restores saved cumulative losses (after a grain reactivation); false when they do not fit this table.</summary>
    public bool Restore(ReadOnlySpan<double> cumulativeLosses)
    {
        if (cumulativeLosses.Length != Rows * Agents) return false;
        for (var r = 0; r < Rows; r++) _rows[r].Restore(cumulativeLosses.Slice(r * Agents, Agents));
        return true;
    }
}
