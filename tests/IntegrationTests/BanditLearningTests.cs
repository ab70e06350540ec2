using MultiAgentRec.Client.Runs;
using MultiAgentRec.Contracts;
using Xunit.Abstractions;

namespace MultiAgentRec.IntegrationTests;

/// <summary>The non-contextual bandits against the best fixed per-segment slate, on a stationary world of the test's own.</summary>
[Collection(ClusterCollection.Name)]
public sealed class BanditLearningTests(ClusterFixture fixture, ITestOutputHelper output)
{
    // Stationary: no interest drift and no boredom, so the popularity oracle's fixed slates stay
    // the best per segment all run long. 300 items, 4 segments, 2,000 users × 40 rounds, each kind
    // alone with its defaults except ε-greedy's decay (see the margin note below).
    private const string AllKinds = """
          - { id: eps, kind: epsilon-greedy, epsilonDecay: 0.1 }
          - { id: ts, kind: thompson }
          - { id: kl, kind: kl-ucb }
        """;

    private static string Scenario(int seed, int rounds = 40, string agents = AllKinds, string arms = "solo, random, popularity-oracle, oracle") => $"""
        name: bandit-learning
        seed: {seed}
        rounds: {rounds}
        slateSize: 5
        catalog: {"{"} items: 300, topics: 8, embeddingDim: 16 {"}"}
        users: {"{"} count: 2000, segments: 4, shardSize: 500 {"}"}
        choice: {"{"} interestDrift: 0, boredomWeight: 0 {"}"}
        agents:
        {agents.TrimEnd()}
        arms: [{arms}]
        """;

    // Seed 5 is the seed the scenario was first run on; 9 was never run before this test was written.
    [Theory]
    [InlineData(5)]
    [InlineData(9)]
    public async Task Epsilon_greedy_and_thompson_reach_90_percent_of_the_popularity_oracle_and_kl_ucb_learns(int seed)
    {
        var spec = TestScenarios.Parse(Scenario(seed));
        var result = await new ScenarioRunner(fixture.Cluster.Client).RunAsync(spec);
        var from = RunSummary.LastQuarterStart(spec.Rounds);
        double LastQuarter(string arm) => RunSummary.Compute(result.Rounds[arm], spec.Catalog.Items, from).ExpectedCtr;
        var random = LastQuarter(Names.Random);
        var ceiling = LastQuarter(Names.PopularityOracle);
        var oracle = LastQuarter(Names.Oracle);
        var figures = string.Join(", ", spec.Arms.Select(a => $"{a} {LastQuarter(a):F4}"));
        output.WriteLine($"seed {seed}, last-quarter expectedCtr: {figures}");

        // The ordering the gap table rests on: random < best fixed per-segment slate < per-user optimum.
        Assert.True(random < ceiling && ceiling < oracle, figures);

        // The bar is the issue's: 90 % of the popularity oracle. It is not a noise allowance: every
        // arm serves the same users with the same choice draws, expectedCtr is exact per slate, and
        // the last quarter averages 10 rounds × 2,000 slates, so what separates an arm from the bar
        // is its policy. Constant ε = 0.1 would cap ε-greedy near 1 − ε·(1 − random/ceiling) ≈ 93 %
        // of the ceiling (an exploring user gets a random slate), too close to the bar to say
        // anything; with epsilonDecay 0.1, ε is at most 0.1/(1 + 0.1·30) = 0.025 in the last quarter.
        foreach (var id in new[] { "eps", "ts" })
        {
            var ctr = LastQuarter(Names.SoloPrefix + id);
            Assert.True(ctr >= 0.9 * ceiling, $"{id}: {ctr:F4} < 0.9 × {ceiling:F4} ({figures})");
        }

        // KL-UCB explores every item until its confidence bound falls below the best mean. Its rounds
        // are planned as hallucinated pulls spread over each segment's users (batchAllocation, on by
        // default), which removed what batching cost it: last quarter 89.7 % of the popularity oracle
        // at seed 5, 86.4 % at 9, 87.8 % at 23 (87.1, 82.1, 84.3 % with one list per segment), and
        // 89.5 % at seed 5 with batches ten times smaller (200 users × 400 rounds). What keeps it
        // under the 90 % bar is its own exploration of 300 items × 4 segments within 40 rounds (at 80
        // rounds it reaches 94.6 %), so the bar is asserted for it at 80 rounds (the next test). UCB1 with its textbook c = 1
        // (40.9–55.0 %: its bonus √(2 ln t / n) ≈ 0.38 at an item's whole-run exposure n ≈ 150 here
        // exceeds the gaps between items' click rates) is only checked by its index's unit tests.
        // KL-UCB must still have learned: above random by more than sampling can explain. A
        // last-quarter mean over U = 2,000 users of per-user averages in [0, 1] strays by more than
        // ε = √(ln(2/δ)/(2U)) with probability ≤ δ (Hoeffding); δ = 0.001 gives ε = 0.044, twice
        // that for two arms: 0.087.
        var margin = 2 * Math.Sqrt(Math.Log(2 / 0.001) / (2 * spec.Users.Count));
        var kl = LastQuarter(Names.SoloPrefix + "kl");
        Assert.True(kl - random > margin, $"kl: {kl:F4} not above random {random:F4} by {margin:F4} ({figures})");
    }
    // KL-UCB keeps exploring an item i that is not among a segment's best while its exposure is below
    // about ln t / kl(p_i, p*), so the exposure it spends exploring grows like ln t and its share of
    // a round falls like 1/t. At 40 rounds the last quarter (rounds 30-39) fell 10.3-13.6 % short of
    // the popularity oracle (seeds 5, 9, 23, above); over rounds 60-79 the share per round is about
    // (1/70)/(1/35) = 1/2 of that, predicting 93.2-94.8 %. Measured before this test was written:
    // 94.2 % (seed 9), 94.2 % (23), 94.3 % (31), 94.6 % (5). The bar is the 90 %, not a noise
    // allowance (see the test above). Seed 31 was first run at 80 rounds to check this prediction, 9
    // was the 40-round test's unseen seed.
    //
    // Textbook UCB1 (c = 1) cannot get there at any horizon a test can afford (56-62 % at 80 rounds;
    // docs/architecture.md has the arithmetic). UCB1-Tuned, from the same paper, scales the bonus by
    // the item's click variance, so it explores like KL-UCB: 88.3 % (seed 9) and 84.8 % (23) at 40
    // rounds, 93.4 %, 91.4 %, 91.5 % (31), 94.3 % (5) at 80 (all measured before this test was written;
    // the 1/t argument predicted 94.2 % and 92.4 % for 9 and 23).
    [Theory]
    [InlineData(9)]
    [InlineData(31)]
    public async Task Kl_ucb_and_ucb1_tuned_reach_90_percent_of_the_popularity_oracle_within_80_rounds(int seed)
    {
        const string agents = """
              - { id: kl, kind: kl-ucb }
              - { id: ucbt, kind: ucb1, tuned: 1 }
            """;
        var spec = TestScenarios.Parse(Scenario(seed, rounds: 80, agents: agents, arms: "solo, popularity-oracle"));
        var result = await new ScenarioRunner(fixture.Cluster.Client).RunAsync(spec);
        var from = RunSummary.LastQuarterStart(spec.Rounds);
        double LastQuarter(string arm) => RunSummary.Compute(result.Rounds[arm], spec.Catalog.Items, from).ExpectedCtr;
        var ceiling = LastQuarter(Names.PopularityOracle);
        foreach (var id in new[] { "kl", "ucbt" })
        {
            var ctr = LastQuarter(Names.SoloPrefix + id);
            output.WriteLine($"seed {seed}, 80 rounds, last quarter: {id} {ctr:F4}, popularity-oracle {ceiling:F4} ({ctr / ceiling:P1})");
            Assert.True(ctr >= 0.9 * ceiling, $"{id}: {ctr:F4} < 0.9 × {ceiling:F4}");
        }
    }
}
