namespace MultiAgentRec.Evaluation;

/// <summary>
/// Per logged row, everything the estimators need: the importance weight w = π(aᵢ|xᵢ,kᵢ)/π_b(aᵢ|xᵢ,kᵢ),
/// the reward r, the reward model at the logged action q̂(xᵢ,aᵢ,kᵢ) and under the evaluated policy
/// Σₐ π(a|xᵢ,kᵢ)·q̂(xᵢ,a,kᵢ). Computing them once lets the bootstrap resample rows cheaply.
/// </summary>
public sealed record EstimatorTerms(double[] Weight, double[] Reward, double[] ModelAtLogged, double[] ModelUnderPolicy)
{
    public int Rows => Reward.Length;

    public static EstimatorTerms From(BanditFeedback log, double[] policy, double[] rewardModel)
    {
        int n = log.Rows, items = log.Items;
        var w = new double[n];
        var qLogged = new double[n];
        var qPolicy = new double[n];
        for (var r = 0; r < n; r++)
        {
            var a = log.Item[r];
            w[r] = policy[r * items + a] / log.Propensity[r];
            qLogged[r] = rewardModel[r * items + a];
            double s = 0;
            for (var b = 0; b < items; b++) s += policy[r * items + b] * rewardModel[r * items + b];
            qPolicy[r] = s;
        }
        return new EstimatorTerms(w, log.Reward, qLogged, qPolicy);
    }
}
