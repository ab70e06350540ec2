namespace MultiAgentRec.Evaluation;

/// <summary>
/// Evaluates a policy on logged feedback: fits the cross-fitted reward model when a model-based
/// estimator is asked for, computes each estimator on all rows and its percentile bootstrap interval,
/// and, when the log carries the exact expected rewards (simulator logs), the policy's true value
/// Σᵢ Σₐ π(a|xᵢ,kᵢ)·q(xᵢ,a,kᵢ) / n and each estimator's error against it.
/// </summary>
public static class OffPolicyEvaluation
{
    public const string Uniform = "uniform";
    public const string Bts = "bts";

    /// <summary>Evaluation policies this build can evaluate by name.</summary>
    public static readonly string[] Policies = [Uniform, Bts];

    /// <summary>Prefix of a saved agent network as the policy (<c>agent:FILE</c>, see <see cref="AgentPolicy"/>).</summary>
    public const string AgentPrefix = "agent:";

    /// <summary>π(a | xᵢ, kᵢ) per row × item for a policy named on the command line.</summary>
    public static double[] PolicyProbabilities(string policy, BanditFeedback log, EvaluationSettings settings) => policy switch
    {
        Uniform => UniformPolicy.ActionProbabilities(log),
        Bts => BernoulliThompsonSamplingPolicy.ActionProbabilities(log, settings.ThompsonSamples, settings.Seed),
        _ => throw new ArgumentException($"unknown policy '{policy}' (policies: {string.Join(", ", Policies)})", nameof(policy)),
    };

    public static EvaluationResult Evaluate(BanditFeedback log, string policyName, double[] policy, EvaluationSettings settings)
    {
        int n = log.Rows, items = log.Items;
        var needsModel = settings.Estimators.Any(e => e is not (OffPolicyEstimators.Ipw or OffPolicyEstimators.Snipw));
        var model = needsModel ? CrossFittedRewardModel.Fit(log, settings.RewardModelFolds, settings.RewardModelL2, settings.Seed) : null;
        var terms = EstimatorTerms.From(log, policy, model?.Predictions ?? new double[n * items]);

        double? truth = null;
        if (log.ExpectedReward is { } q)
        {
            double s = 0;
            for (var j = 0; j < q.Length; j++) s += policy[j] * q[j];
            truth = s / n;
        }

        var all = Enumerable.Range(0, n).ToArray();
        var statistics = settings.Estimators
            .Select(name => (Func<int[], double>)(sample => OffPolicyEstimators.Estimate(name, terms, sample, settings.SwitchThreshold)))
            .ToArray();
        var intervals = PercentileBootstrap.Intervals(n, settings.BootstrapResamples, settings.Seed, settings.Confidence, statistics);
        var estimates = settings.Estimators.Select((name, s) =>
        {
            var value = statistics[s](all);
            return new EstimateResult(name, value, intervals[s].Low, intervals[s].High, truth is { } t ? value - t : null);
        }).ToArray();
        return new EvaluationResult(policyName, n, items, log.Positions, log.Reward.Average(), truth, terms.Weight.Max(), model, estimates, settings);
    }
}
