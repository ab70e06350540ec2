using MultiAgentRec.Contracts;

namespace MultiAgentRec.Client.Scenarios;

/// <summary>One thing wrong with a scenario file, located by 1-based line and column (0 when it concerns the whole file).</summary>
public sealed record ScenarioProblem(string File, int Line, int Column, string Message)
{
    /// <summary>The compiler-style "file:line:column: message" form that editors and terminals link to.</summary>
    public override string ToString() => Line > 0 ? $"{File}:{Line}:{Column}: {Message}" : $"{File}: {Message}";
}

/// <summary>The outcome of loading a scenario: the spec when the file is valid, and every problem found otherwise.</summary>
public sealed record ScenarioLoadResult(SimulationSpec? Spec, IReadOnlyList<ScenarioProblem> Problems)
{
    /// <summary>True when the scenario is usable as it stands.</summary>
    public bool Ok => Spec is not null && Problems.Count == 0;
}
