namespace MultiAgentRec.Coordination;

/// <summary>
/// Hedge (Freund and Schapire, 1997) over agents, with a uniform floor so no agent starves:
/// w_a = (1−γ)·exp(−η·L_a)/Σ exp(−η·L_b) + γ/A, where L_a is agent a's cumulative loss (1 − credited
/// reward per round, in [0, 1]). With no learning rate given, η = √(8·ln A·n / T), for T rounds of n
/// decisions each (users of the weight row): a round's loss is the mean over its n users' losses, so
/// Hedge run at the level of single decisions, the rate √(8 ln A / (T·n)) that bounds its regret by
/// √(T·n·ln A / 2) over T·n decisions, applied to the n-fold sum, is that η on the mean. (With n = 1,
/// the textbook per-round rate; a run of 2,000 users, 3 agents and 40 rounds gets η ≈ 21 instead of
/// 0.47, which left the weights nearly where they started after 40 rounds of small mean differences.)
/// With a discount λ &lt; 1 the losses are discounted, L ← λ·L + ℓ, so the past fades and the weights
/// can follow a change of the best agent: if agent b has been behind agent a by at most Δ per round
/// (so L_b − L_a ≤ Δ/(1 − λ)) and from some round on leads it by Δ per round, then after s rounds
/// L_a − L_b ≥ Δ·(1 − 2λ^s)/(1 − λ), which is ≥ 0, so b holds at least a's weight, once
/// s ≥ ln 2 / ln(1/λ), whatever the learning rate and however long a led.
/// </summary>
public sealed class HedgeWeighting
{
    private readonly double[] _cumulativeLoss;
    private readonly double[] _weights;

    public double LearningRate { get; }
    public double Floor { get; }
    public double Discount { get; }

    public HedgeWeighting(int agents, double floor, double? learningRate, int horizon, double discount = 1, double decisionsPerRound = 1)
    {
        if (agents < 1) throw new ArgumentOutOfRangeException(nameof(agents));
        if (discount is <= 0 or > 1) throw new ArgumentOutOfRangeException(nameof(discount), discount, "must be in (0, 1]");
        _cumulativeLoss = new double[agents];
        _weights = new double[agents];
        Floor = floor;
        Discount = discount;
        LearningRate = learningRate ?? DefaultLearningRate(agents, horizon, decisionsPerRound);
        Recompute();
    }

    /// <summary>η = √(8 ln A·n / T) for T rounds of n decisions each; with one agent there is nothing to learn.</summary>
    public static double DefaultLearningRate(int agents, int horizon, double decisionsPerRound = 1) =>
        agents < 2 ? 0 : Math.Sqrt(8 * Math.Log(agents) * Math.Max(1, decisionsPerRound) / Math.Max(1, horizon));

    public ReadOnlySpan<double> Weights => _weights;

    /// <summary>Each agent's (discounted) cumulative loss: with the constructor's arguments, all the state there is.</summary>
    public double[] CumulativeLosses => (double[])_cumulativeLoss.Clone();

    /// <summary>Restores saved cumulative losses (after a grain reactivation).</summary>
    public void Restore(ReadOnlySpan<double> cumulativeLosses)
    {
        cumulativeLosses.CopyTo(_cumulativeLoss);
        Recompute();
    }

    /// <summary>Discounts the past losses, adds one round of losses (each in [0, 1]) and recomputes the weights.</summary>
    public void Update(ReadOnlySpan<double> losses)
    {
        for (var a = 0; a < _cumulativeLoss.Length; a++) _cumulativeLoss[a] = Discount * _cumulativeLoss[a] + losses[a];
        Recompute();
    }

    private void Recompute()
    {
        var best = double.MaxValue;
        foreach (var l in _cumulativeLoss) best = Math.Min(best, l);
        double total = 0;
        for (var a = 0; a < _weights.Length; a++) total += _weights[a] = Math.Exp(-LearningRate * (_cumulativeLoss[a] - best));
        var uniform = 1.0 / _weights.Length;
        for (var a = 0; a < _weights.Length; a++) _weights[a] = (1 - Floor) * _weights[a] / total + Floor * uniform;
    }
}
