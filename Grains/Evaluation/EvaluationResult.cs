namespace MultiAgentRec.Evaluation;

/// <summary>The outcome of evaluating one policy on one log.</summary>
public sealed record EvaluationResult(
    string Policy,
    int Rows,
    int Items,
    int Positions,
    double LoggedReward,
    double? Truth,
    double MaxWeight,
    CrossFittedRewardModel? RewardModel,
    IReadOnlyList<EstimateResult> Estimates,
    EvaluationSettings Settings);
