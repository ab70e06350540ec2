using MultiAgentRec.Client.Scenarios;
using MultiAgentRec.Contracts;

namespace MultiAgentRec.UnitTests;

/// <summary>Scenario specs for unit tests, from YAML through the real loader.</summary>
internal static class TestWorlds
{
    public static SimulationSpec Spec(string yaml)
    {
        var loaded = ScenarioLoader.Parse(yaml, "test.yaml");
        Assert.True(loaded.Ok, string.Join("\n", loaded.Problems));
        return loaded.Spec!;
    }

    /// <summary>A small world with the two bandit kinds (no TorchSharp needed).</summary>
    public static SimulationSpec Bandits(int users = 60, int items = 40, int shardSize = 1000, string aggregation = "hedge", int rounds = 6) => Spec($"""
        name: shard-test
        seed: 11
        rounds: {rounds}
        slateSize: 4
        catalog: {"{"} items: {items}, topics: 4, embeddingDim: 8 {"}"}
        users: {"{"} count: {users}, segments: 3, shardSize: {shardSize} {"}"}
        agents:
          - {"{"} id: eps, kind: epsilon-greedy, epsilon: 0.2 {"}"}
          - {"{"} id: ts, kind: thompson {"}"}
        coordinator: {"{"} aggregation: {aggregation} {"}"}
        arms: [ensemble, solo, random, oracle]
        """);
}
