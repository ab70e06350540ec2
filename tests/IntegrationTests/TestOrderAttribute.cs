namespace MultiAgentRec.IntegrationTests;

/// <summary>Position of a test in a class ordered by <see cref="TestOrderer"/>: for steps that share one expensive fixture and must run in turn.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class TestOrderAttribute(int position) : Attribute
{
    public int Position { get; } = position;
}
