using MultiAgentRec.Client.Scenarios;
using MultiAgentRec.Contracts;

namespace MultiAgentRec.UnitTests;

/// <summary>The coordinator keys of a scenario: aggregation rules, weight modes, discount and credit clip.</summary>
public sealed class CoordinatorScenarioTests
{
    private const string Agents = "agents: [{id: a, kind: thompson}, {id: b, kind: epsilon-greedy}]";

    private static CoordinatorSpec Coordinator(string lines) => TestWorlds.Spec($"""
        name: coord
        {Agents}
        coordinator:
        {lines}
        """).Coordinator;

    private static ScenarioProblem Problem(string lines)
    {
        var result = ScenarioLoader.Parse($"""
            name: coord
            {Agents}
            coordinator:
            {lines}
            """, "c.yaml");
        Assert.False(result.Ok);
        return Assert.Single(result.Problems);
    }

    [Theory]
    [InlineData("weighted", "weighted", "global")]
    [InlineData("hedge", "weighted", "global")]
    [InlineData("pick", "pick", "global")]
    [InlineData("borda", "borda", "uniform")]
    [InlineData("majority", "majority", "uniform")]
    [InlineData("rrf", "rrf", "uniform")]
    public void Every_rule_loads_and_votes_default_to_uniform_weights(string written, string rule, string weights)
    {
        var c = Coordinator($"  aggregation: {written}");

        Assert.Equal(rule, c.Aggregation);
        Assert.Equal(weights, c.Weights);
        Assert.Equal(1, c.WeightDiscount);
        Assert.Equal(CoordinatorSpec.DefaultCreditClip, c.CreditClip);
    }

    [Fact]
    public void Weight_mode_discount_and_clip_are_read()
    {
        var c = Coordinator("""
              aggregation: borda
              weights: segment
              weightDiscount: 0.95
              creditClip: 4
            """);

        Assert.Equal(Names.SegmentWeights, c.Weights);
        Assert.Equal(0.95, c.WeightDiscount);
        Assert.Equal(4, c.CreditClip);
        Assert.Equal(6, c.WeightRows(6));
        Assert.Equal(1, (c with { Weights = Names.GlobalWeights }).WeightRows(6));
    }

    [Theory]
    [InlineData("aggregation: mean", "coordinator.aggregation: unknown aggregation 'mean' (allowed: weighted, hedge, borda, majority, rrf, pick)")]
    [InlineData("weights: per-user", "coordinator.weights: unknown weight mode 'per-user' (allowed: global, segment, uniform)")]
    [InlineData("weightDiscount: 0", "coordinator.weightDiscount: ")]
    [InlineData("weightDiscount: 1.5", "coordinator.weightDiscount: ")]
    [InlineData("creditClip: 0.5", "coordinator.creditClip: ")]
    public void Bad_coordinator_values_are_reported_at_their_line(string line, string message)
    {
        var problem = Problem($"  {line}");

        Assert.Equal(4, problem.Line);
        Assert.StartsWith(message, problem.Message);
    }
}
