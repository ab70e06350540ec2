namespace MultiAgentRec.Evaluation;

/// <summary>One estimator's figure: its value on all rows, its bootstrap interval, and its error against the truth when the log has one.</summary>
public sealed record EstimateResult(string Name, double Value, double Low, double High, double? Error)
{
    /// <summary>Whether the interval covers the true value (null without a truth).</summary>
    public bool? CoversTruth(double? truth) => truth is { } t ? Low <= t && t <= High : null;
}
