using MultiAgentRec.Client.Scenarios;
using MultiAgentRec.Contracts;
using MultiAgentRec.Simulation;

namespace MultiAgentRec.UnitTests;

/// <summary>How scenarios declare the contextual bandits: their hyper-parameters and their model-size limits.</summary>
public sealed class LinearBanditScenarioTests
{
    private static ScenarioLoadResult Load(string yaml) => ScenarioLoader.Parse(yaml, "linear.yaml");

    [Theory]
    [InlineData(Names.LinUcb, new[] { "alpha", "lambda", "poolFactor", "positionBias", "positionSweeps" }, new[] { 0.5, 1, 8, 1, 5 })]
    [InlineData(Names.LinUcbHybrid, new[] { "alpha", "lambda", "poolFactor", "positionBias", "positionSweeps" }, new[] { 0.5, 1, 8, 1, 5 })]
    [InlineData(Names.LinearThompson, new[] { "varianceScale", "lambda", "poolFactor", "positionBias", "positionSweeps" }, new[] { 0.25, 1, 8, 1, 5 })]
    public void Every_contextual_kind_gets_all_its_defaults(string kind, string[] names, double[] defaults)
    {
        var loaded = Load($"name: kinds\nagents:\n  - {{ id: x, kind: {kind} }}\n");

        Assert.True(loaded.Ok, string.Join("\n", loaded.Problems));
        var parameters = Assert.Single(loaded.Spec!.Agents).Parameters;
        Assert.Equal(names.Order(), parameters.Keys.Order());
        for (var i = 0; i < names.Length; i++) Assert.Equal(defaults[i], parameters[names[i]]);
    }

    [Theory]
    [InlineData("{ id: a, kind: linucb, lambda: 0 }", "agents[0].lambda: must be > 0, got 0")]
    [InlineData("{ id: a, kind: linucb-hybrid, alpha: -1 }", "agents[0].alpha: must be >= 0, got -1")]
    [InlineData("{ id: a, kind: linear-thompson, varianceScale: 0 }", "agents[0].varianceScale: must be > 0, got 0")]
    [InlineData("{ id: a, kind: linucb, poolFactor: 2.5 }", "agents[0].poolFactor: expected an integer, got '2.5'")]
    [InlineData("{ id: a, kind: linucb, poolFactor: 0 }", "agents[0].poolFactor: must be >= 1, got 0")]
    public void Out_of_range_hyper_parameters_are_reported_at_their_line(string agent, string expected)
    {
        var loaded = Load($"name: ranges\nagents:\n  - {agent}\n");

        var problem = Assert.Single(loaded.Problems);
        Assert.Equal(3, problem.Line);
        Assert.Equal(expected, problem.Message);
    }

    [Fact]
    public void A_hyper_parameter_of_another_kind_is_reported_with_the_allowed_ones()
    {
        var loaded = Load("name: keys\nagents:\n  - id: a\n    kind: linear-thompson\n    alpha: 1\n");

        var problem = Assert.Single(loaded.Problems);
        Assert.Equal(5, problem.Line);
        Assert.StartsWith("agents[0].alpha: unknown hyper-parameter 'alpha' for kind linear-thompson", problem.Message, StringComparison.Ordinal);
        Assert.Contains("varianceScale, lambda, poolFactor", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_catalog_too_big_for_a_linear_model_is_refused_at_the_catalog_line()
    {
        // 20,000 items × (d + d(d+1)/2 + segments) floats with d = 16 + 6 = 22: 22.5 MB of model
        // per round, and twice that of stored statistics in doubles; both pass the 16 MiB budget.
        var loaded = Load("""
            name: huge-linear
            catalog:
              items: 20000
            agents: [ { id: lin, kind: linucb } ]
            """);

        Assert.Equal(2, loaded.Problems.Count);
        Assert.All(loaded.Problems, p => Assert.Equal(3, p.Line));
        Assert.Contains(loaded.Problems, p => p.Message.StartsWith("catalog.items: a contextual bandit model of 'lin'", StringComparison.Ordinal));
        Assert.Contains(loaded.Problems, p => p.Message.StartsWith("catalog.items: a stored state of 'lin'", StringComparison.Ordinal));
    }

    [Fact]
    public void The_hybrid_model_counts_its_cross_terms_and_fits_the_default_catalog()
    {
        var spec = TestWorlds.Spec("name: sizes\nagents:\n  - { id: lin, kind: linucb }\n  - { id: hyb, kind: linucb-hybrid }\n");
        var sizes = ScenarioLimits.MessageSizes(spec);
        var disjoint = sizes.Single(s => s.Key.StartsWith("contextual bandit model of 'lin'", StringComparison.Ordinal)).Value;
        var hybrid = sizes.Single(s => s.Key.StartsWith("contextual bandit model of 'hyb'", StringComparison.Ordinal)).Value;

        // 300 items, d = 22, k = 16: hybrid adds d·k = 352 floats per item to the disjoint 22 + 253 + 6.
        Assert.Equal(300L * 352 * 4, hybrid - disjoint - (16 + 136) * 4);
        // Every linear model message of the default catalog is far inside the budget.
        Assert.All(sizes, s => Assert.True(s.Value < ScenarioLimits.MessageBudgetBytes, s.Key));
    }

    [Theory]
    [InlineData(Names.LinUcb, 5416)]
    [InlineData(Names.LinUcbHybrid, 2375)]
    public void The_largest_catalog_a_linear_model_may_have_is_where_its_stored_state_reaches_16_MiB(string kind, int largest)
    {
        // Default dims (d = 16 + 6, k = 16) and 2,000 users: the stored statistics, items × (253 + 22
        // [+ 352]) doubles at 32/3 bytes (base64 in JSON), plus 2,000 pending rows × 37 floats at 12
        // bytes, reach 16 MiB between these two catalog sizes (the round model is smaller).
        string Scenario(int items) => $"name: edge\ncatalog: {{ items: {items} }}\nagents: [ {{ id: a, kind: {kind} }} ]\n";

        Assert.True(Load(Scenario(largest)).Ok);
        var problem = Assert.Single(Load(Scenario(largest + 1)).Problems);
        Assert.StartsWith("catalog.items: a stored state of 'a'", problem.Message, StringComparison.Ordinal);
    }
}
