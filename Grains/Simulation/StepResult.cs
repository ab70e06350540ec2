namespace MultiAgentRec.Simulation;

/// <summary>What one user step produced, with the exact quantities only the simulator knows.</summary>
public readonly record struct StepResult(int ClickedPosition, float Engagement, double ExpectedClick, double OracleExpectedClick, double Ndcg, bool SessionEnded);
