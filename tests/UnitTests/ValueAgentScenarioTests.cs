using MultiAgentRec.Client.Scenarios;
using MultiAgentRec.Contracts;

namespace MultiAgentRec.UnitTests;

/// <summary>The YAML of the value-based agents (dqn, slateq): every hyper-parameter has a default and a checked range.</summary>
public sealed class ValueAgentScenarioTests
{
    private static ScenarioLoadResult Parse(string yaml) => ScenarioLoader.Parse(yaml, "value.yaml");

    [Theory]
    [InlineData(Names.Dqn, 0.003, 16)]
    [InlineData(Names.SlateQ, 0.01, 48)]
    public void Value_agents_hold_every_default(string kind, double learningRate, int steps)
    {
        var loaded = Parse($"name: v\nagents: [ {{ id: x, kind: {kind} }} ]\n");
        Assert.True(loaded.Ok, string.Join("\n", loaded.Problems));

        var parameters = Assert.Single(loaded.Spec!.Agents).Parameters;
        var expected = new Dictionary<string, double>
        {
            ["hiddenSize"] = 32, ["embeddingSize"] = 16, ["learningRate"] = learningRate, ["gamma"] = 0.5,
            ["replayCapacity"] = 50_000, ["batchSize"] = 256, ["stepsPerUpdate"] = steps, ["targetTau"] = 0.05,
            ["targetPeriod"] = 1, ["gradientClip"] = 10, ["huberDelta"] = 1, ["epsilon"] = 0.05,
        };
        Assert.Equal(expected.OrderBy(p => p.Key), parameters.OrderBy(p => p.Key));
    }

    [Theory]
    [InlineData("gamma: 1", "agents[0].gamma: must be >= 0 and < 1, got 1")]
    [InlineData("targetTau: 0", "agents[0].targetTau: must be > 0 and <= 1, got 0")]
    [InlineData("replayCapacity: 0", "agents[0].replayCapacity: must be >= 1, got 0")]
    [InlineData("batchSize: 2.5", "agents[0].batchSize: expected an integer, got '2.5'")]
    [InlineData("epsilon: -0.1", "agents[0].epsilon: must be between 0 and 1, got -0.1")]
    [InlineData("gradientClip: 0", "agents[0].gradientClip: must be > 0, got 0")]
    public void Out_of_range_values_are_reported_with_their_line(string entry, string expected)
    {
        foreach (var kind in new[] { Names.Dqn, Names.SlateQ })
        {
            var loaded = Parse($"name: v\nagents:\n  - id: x\n    kind: {kind}\n    {entry}\n");
            var problem = Assert.Single(loaded.Problems);
            Assert.Equal(expected, problem.Message);
            Assert.Equal(5, problem.Line);
        }
    }

    [Fact]
    public void Unknown_keys_list_the_value_agents_parameters()
    {
        var loaded = Parse("name: v\nagents:\n  - id: x\n    kind: dqn\n    importanceCap: 3\n");
        var problem = Assert.Single(loaded.Problems);
        Assert.StartsWith("agents[0].importanceCap: unknown hyper-parameter 'importanceCap' for kind dqn (allowed: hiddenSize, embeddingSize, learningRate, gamma,", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Message_limits_count_one_network_for_dqn_and_two_for_slateq()
    {
        var loaded = Parse("name: v\ncatalog: { items: 100, embeddingDim: 8 }\nusers: { segments: 4 }\nagents:\n  - { id: d, kind: dqn }\n  - { id: s, kind: slateq }\n");
        Assert.True(loaded.Ok, string.Join("\n", loaded.Problems));

        var sizes = Simulation.ScenarioLimits.MessageSizes(loaded.Spec!);
        // State 8 + 4 + 8 = 20 features; hidden 32, towers 16: 20·32 + 32 + 16·32 + 16 + 16·8 + 100 = 1,428 floats per network.
        Assert.Equal(1_428 * 4 + 64, sizes["value snapshot of 'd' (catalog.items)"]);
        Assert.Equal(2 * 1_428 * 4 + 64, sizes["value snapshot of 's' (catalog.items)"]);
    }
}
