namespace MultiAgentRec.Evaluation;

/// <summary>
/// The off-policy estimators of the Open Bandit Pipeline (Saito, Aihara, Matsutani and Narita,
/// "Open Bandit Dataset and Pipeline", NeurIPS 2021 Datasets and Benchmarks; arXiv:2008.07146), with
/// w the importance weight, r the reward, q̂ the reward model, over the rows S of a (re)sample:
/// <list type="bullet">
/// <item>ipw: Σ w·r / |S|</item>
/// <item>snipw: Σ w·r / Σ w</item>
/// <item>dm: Σ q̂(π) / |S|, q̂(π) = Σₐ π(a|x)·q̂(x,a)</item>
/// <item>dr: Σ [q̂(π) + w·(r − q̂(x,aᵢ))] / |S|</item>
/// <item>sndr: Σ q̂(π) / |S| + Σ w·(r − q̂(x,aᵢ)) / Σ w</item>
/// <item>switch-dr: Σ [q̂(π) + 1{w ≤ τ}·w·(r − q̂(x,aᵢ))] / |S| (rows with weights above τ keep only the model's term)</item>
/// </list>
/// </summary>
public static class OffPolicyEstimators
{
    public const string Ipw = "ipw";
    public const string Snipw = "snipw";
    public const string Dm = "dm";
    public const string Dr = "dr";
    public const string Sndr = "sndr";
    public const string SwitchDr = "switch-dr";

    /// <summary>Every estimator, in the order the table and the JSON list them.</summary>
    public static readonly string[] All = [Ipw, Snipw, Dm, Dr, Sndr, SwitchDr];

    /// <summary>The estimate of <paramref name="name"/> over the rows in <paramref name="sample"/> (repeats allowed).</summary>
    public static double Estimate(string name, EstimatorTerms t, ReadOnlySpan<int> sample, double switchThreshold)
    {
        double n = sample.Length, sumW = 0, sumWr = 0, sumModel = 0, sumCorrection = 0, sumSwitched = 0;
        foreach (var i in sample)
        {
            var w = t.Weight[i];
            var correction = w * (t.Reward[i] - t.ModelAtLogged[i]);
            sumW += w;
            sumWr += w * t.Reward[i];
            sumModel += t.ModelUnderPolicy[i];
            sumCorrection += correction;
            if (w <= switchThreshold) sumSwitched += correction;
        }
        return name switch
        {
            Ipw => sumWr / n,
            Snipw => sumW > 0 ? sumWr / sumW : 0,
            Dm => sumModel / n,
            Dr => (sumModel + sumCorrection) / n,
            Sndr => sumModel / n + (sumW > 0 ? sumCorrection / sumW : 0),
            SwitchDr => (sumModel + sumSwitched) / n,
            _ => throw new ArgumentException($"unknown estimator '{name}'", nameof(name)),
        };
    }
}
