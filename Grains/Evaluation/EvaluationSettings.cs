namespace MultiAgentRec.Evaluation;

/// <summary>How an evaluation runs; every default is the command line's.</summary>
public sealed record EvaluationSettings
{
    public string[] Estimators { get; init; } = OffPolicyEstimators.All;
    public int BootstrapResamples { get; init; } = 1000;
    public double Confidence { get; init; } = 0.95;
    public int Seed { get; init; } = 12345;
    public int RewardModelFolds { get; init; } = 3;

    /// <summary>L2 penalty of the reward model; 1 is a unit-variance Gaussian prior on each weight.</summary>
    public double RewardModelL2 { get; init; } = 1.0;

    /// <summary>Switch-DR's τ: rows whose importance weight exceeds it keep only the reward model's term.</summary>
    public double SwitchThreshold { get; init; } = 10.0;

    public int ThompsonSamples { get; init; } = BernoulliThompsonSamplingPolicy.DefaultSamples;
}
