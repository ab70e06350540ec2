using Xunit.Abstractions;
using Xunit.Sdk;

namespace MultiAgentRec.IntegrationTests;

/// <summary>Runs a class's tests by their <see cref="TestOrderAttribute"/>, so that the last one may stop what the first ones use.</summary>
public sealed class TestOrderer : ITestCaseOrderer
{
    public const string Name = "MultiAgentRec.IntegrationTests.TestOrderer";
    public const string Assembly = "MultiAgentRec.IntegrationTests";

    public IEnumerable<TTestCase> OrderTestCases<TTestCase>(IEnumerable<TTestCase> testCases) where TTestCase : ITestCase =>
        testCases.OrderBy(t => t.TestMethod.Method.GetCustomAttributes(typeof(TestOrderAttribute).AssemblyQualifiedName)
            .FirstOrDefault()?.GetNamedArgument<int>(nameof(TestOrderAttribute.Position)) ?? int.MaxValue);
}
