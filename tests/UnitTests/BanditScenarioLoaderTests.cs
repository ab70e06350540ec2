using MultiAgentRec.Client.Scenarios;
using MultiAgentRec.Contracts;

namespace MultiAgentRec.UnitTests;

/// <summary>The scenario keys of the non-contextual bandits and the popularity-oracle arm.</summary>
public sealed class BanditScenarioLoaderTests
{
    private static ScenarioLoadResult Load(string agentLines, string arms = "[solo, random]") =>
        ScenarioLoader.Parse($"name: bandits\nagents:\n{agentLines}\narms: {arms}\n", "bandits.yaml");

    [Fact]
    public void New_bandit_keys_are_read_and_position_bias_takes_true_false_or_1_0()
    {
        var loaded = Load("""
              - { id: e, kind: epsilon-greedy, epsilon: 0.3, epsilonDecay: 0.05, epsilonMin: 0.01, positionBias: false }
              - { id: u, kind: ucb1, explorationScale: 0.5, positionBias: true, positionSweeps: 3 }
              - { id: k, kind: kl-ucb, c: 3, positionBias: 0, batchAllocation: false }
              - { id: t, kind: thompson, positionBias: 1 }
            """);

        Assert.True(loaded.Ok, string.Join("\n", loaded.Problems));
        var agents = loaded.Spec!.Agents.ToDictionary(a => a.Id, a => a.Parameters);
        Assert.Equal(0.05, agents["e"]["epsilonDecay"]);
        Assert.Equal(0.01, agents["e"]["epsilonMin"]);
        Assert.Equal(0, agents["e"]["positionBias"]);
        Assert.Equal(0.5, agents["u"]["explorationScale"]);
        Assert.Equal(1, agents["u"]["positionBias"]);
        Assert.Equal(3, agents["u"]["positionSweeps"]);
        Assert.Equal(3, agents["k"]["c"]);
        Assert.Equal(0, agents["k"]["positionBias"]);
        Assert.Equal(0, agents["k"]["batchAllocation"]);
        Assert.Equal(1, agents["u"]["batchAllocation"]);
        Assert.Equal(1, agents["t"]["positionBias"]);
    }

    [Theory]
    [InlineData("{ id: u, kind: ucb1, explorationScale: -1 }", "agents[0].explorationScale: must be")]
    [InlineData("{ id: k, kind: kl-ucb, c: -0.5 }", "agents[0].c: must be")]
    [InlineData("{ id: e, kind: epsilon-greedy, epsilonDecay: -0.1 }", "agents[0].epsilonDecay: must be")]
    [InlineData("{ id: e, kind: epsilon-greedy, epsilonMin: 1.5 }", "agents[0].epsilonMin: must be")]
    [InlineData("{ id: t, kind: thompson, positionBias: 2 }", "agents[0].positionBias: expected true or false (or 1 / 0), got '2'")]
    [InlineData("{ id: t, kind: thompson, positionBias: yes }", "agents[0].positionBias: expected true or false (or 1 / 0), got 'yes'")]
    [InlineData("{ id: u, kind: ucb1, positionSweeps: 0 }", "agents[0].positionSweeps: must be")]
    [InlineData("{ id: u, kind: ucb1, epsilon: 0.1 }", "unknown hyper-parameter 'epsilon' for kind ucb1 (allowed: explorationScale, tuned, positionBias, positionSweeps, batchAllocation)")]
    [InlineData("{ id: k, kind: kl-ucb, batchAllocation: 2 }", "agents[0].batchAllocation: expected true or false (or 1 / 0), got '2'")]
    public void Out_of_range_and_unknown_bandit_keys_are_reported_at_their_line(string agent, string message)
    {
        var loaded = Load($"  - {agent}\n  - {{ id: other, kind: thompson }}");

        var problem = Assert.Single(loaded.Problems);
        Assert.Equal(3, problem.Line);
        Assert.Contains(message, problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Popularity_oracle_is_an_arm_that_needs_no_agents()
    {
        var loaded = ScenarioLoader.Parse("name: p\narms: [random, popularity-oracle, oracle]\n", "p.yaml");

        Assert.True(loaded.Ok, string.Join("\n", loaded.Problems));
        Assert.Equal([Names.Random, Names.PopularityOracle, Names.Oracle], loaded.Spec!.Arms);
    }
}
