using MultiAgentRec.Client.Runs;
using MultiAgentRec.Contracts;
using Xunit.Abstractions;

namespace MultiAgentRec.IntegrationTests;

[Collection(ClusterCollection.Name)]
public sealed class CollaborationTests(ClusterFixture fixture, ITestOutputHelper output)
{
    // A population where different agents win in different segments, by construction. Two agents:
    // Thompson sampling keeps click counts per segment and item and cannot tell a segment's users apart;
    // LinUCB fits, per item, one linear model of the click over the observed profile and the segment's
    // one-hot, so the profile's coefficients are shared by every segment.
    // - Segments 0 and 1 have no interest spread (every user is the segment's centroid: its best items
    //   are the same for all, which is what Thompson sampling learns) and a profile noise of 12, four
    //   times the other segments' spread: their profiles say nothing about them. LinUCB's shared profile
    //   coefficients, which segments 2 and 3 make large, add to its scores there a term of the size of
    //   the noise, different for every user, that scrambles the segment's ranking.
    // - Segments 2 and 3 have a spread of 3 and an exact profile: users of a segment differ, and only a
    //   policy that reads the profile (LinUCB) can serve each; Thompson sampling shows all of them the
    //   segment's average best.
    // Drift and boredom are off so the segments stay what they are. Measured on seed 5 (the seed this was
    // designed on), last-quarter expectedCtr by segment: ts 0.424 0.442 0.504 0.491, lin 0.310 0.329
    // 0.696 0.688 (oracle 0.438 0.456 0.825 0.831).
    //
    // The ensemble is the bandit over agents (aggregation: pick): per request one agent's own slate,
    // the agent drawn by EXP3 weights learned from fair credit. creditClip = A/floor = 2/0.05 = 40:
    // in pick mode the logging policy includes any item at least p_a ≥ floor/A times as often as the
    // agent's own policy, so the ratio never exceeds 40 and the clip never biases the credit.
    // hedgeLearningRate: a segment's weights should settle within R = 3 rounds once one agent leads
    // by Δ = 0.05 clicks per slate; Hedge's weight ratio is e^(η·Δ·R), and 1 − ε = 0.95 of the mass
    // needs e^(η·Δ·R) ≥ 19, i.e. η ≥ ln 19 / 0.15 ≈ 19.6: η = 20.
    // shardSize 50 splits the users into 40 shards, the pairs of PairedShardBound.
    private const string World = """
        name: collaboration-test
        seed: SEED
        rounds: 40
        slateSize: 5
        catalog: { items: 200, topics: 8, embeddingDim: 16, qualityStd: 0.1 }
        users: { count: 2000, shardSize: 50, segments: 4, segmentSpread: [0, 0, 3, 3], segmentProfileNoise: [12, 12, 0, 0] }
        choice: { interestDrift: 0, boredomWeight: 0 }
        agents:
          - { id: ts, kind: thompson }
          - { id: lin, kind: linucb }
        coordinator: { aggregation: pick, weights: WEIGHTS, hedgeFloor: 0.05, hedgeLearningRate: 20, creditClip: 40, candidates: 20 }
        arms: ARMS
        """;

    private async Task<(SimulationSpec Spec, IReadOnlyDictionary<string, RoundReport[]> Rounds)> Run(string yaml)
    {
        var spec = TestScenarios.Parse(yaml);
        var result = await new ScenarioRunner(fixture.Cluster.Client).RunAsync(spec);
        return (spec, result.Rounds);
    }

    private static string Scenario(int seed, string weights, string arms, string events = "") =>
        World.Replace("SEED", $"{seed}").Replace("WEIGHTS", weights).Replace("ARMS", arms) + events;

    private void Report(string what, SimulationSpec spec, IReadOnlyDictionary<string, RoundReport[]> rounds, int from)
    {
        foreach (var (arm, r) in rounds)
            output.WriteLine($"{what} {arm}: {RunSummary.Compute(r, spec.Catalog.Items, from).ExpectedCtr:F4}, by segment {string.Join(" ", RunSummary.ExpectedCtrBySegment(r, from).Select(x => $"{x:F3}"))}");
    }

    private static IEnumerable<string> SoloArms(IReadOnlyDictionary<string, RoundReport[]> rounds) =>
        rounds.Keys.Where(a => a.StartsWith(Names.SoloPrefix, StringComparison.Ordinal));

    [Theory]
    [InlineData(5)]     // the seed the scenario was designed on
    [InlineData(11)]    // a seed it was not (first run after the test was written)
    public async Task Ensemble_with_weights_per_segment_reaches_the_best_solo_arm_and_beats_global_weights(int seed)
    {
        var (spec, segment) = await Run(Scenario(seed, Names.SegmentWeights, "[ensemble, solo]"));
        var (_, global) = await Run(Scenario(seed, Names.GlobalWeights, "[ensemble]"));
        var from = RunSummary.LastQuarterStart(spec.Rounds);
        double ExpectedCtr(RoundReport[] rounds) => RunSummary.Compute(rounds, spec.Catalog.Items, from).ExpectedCtr;

        Report($"seed {seed}, last quarter, segment weights:", spec, segment, from);
        Report($"seed {seed}, last quarter, global weights:", spec, global, from);
        var ensemble = ExpectedCtr(segment[Names.Ensemble]);
        var bestSolo = SoloArms(segment).Max(a => ExpectedCtr(segment[a]));

        // The claim the product makes: collaboration is at least as good as the best agent alone
        // (0.005 is the issue's tolerance, not a margin of this test).
        Assert.True(ensemble >= bestSolo - 0.005, $"seed {seed}: ensemble {ensemble:F4} below best solo {bestSolo:F4} − 0.005");

        // Per-segment weights beat global ones by more than chance: the two runs serve the same users,
        // so their last-quarter figures pair shard by shard (PairedShardBound, one-sided δ = 0.001).
        var perShard = RunSummary.ExpectedCtrByShard(segment[Names.Ensemble], from);
        var globalPerShard = RunSummary.ExpectedCtrByShard(global[Names.Ensemble], from);
        Assert.Equal(PairedShardBound.Shards, perShard.Length);
        var (gap, margin) = PairedShardBound.Of(perShard, globalPerShard, PairedShardBound.T999);
        output.WriteLine($"seed {seed}: per-segment − global weights {gap:F4}, margin {margin:F4}");
        Assert.True(gap > margin,
            $"seed {seed}: per-segment {ensemble:F4} vs global {ExpectedCtr(global[Names.Ensemble]):F4}: gap {gap:F4} not above the margin {margin:F4}");
    }

    // A preference shift at mid-run, on the same world: at round 20 every segment's centroid moves all
    // the way to a fresh one (latent interests follow, profiles do not). The shift does not change
    // which agent wins where (that comes from the profile noise and the spread, which stay), but every
    // agent must relearn the segments' best items, and the ensemble's weights, learned before the
    // shift, must keep serving each segment by its winner while the agents relearn. Measured on seed 5
    // (designed on), whole-run expectedCtr: ensemble 0.4798, lin 0.4274, ts 0.3897.
    private const string Shift = """

        events:
          - { round: 20, preferenceShift: { amount: 1.0 } }
        """;

    [Theory]
    [InlineData(5)]     // the seed the scenario was designed on
    [InlineData(11)]    // a seed it was not (first run after the test was written)
    public async Task After_a_preference_shift_at_mid_run_the_ensemble_beats_every_solo_arm_over_the_whole_run(int seed)
    {
        var (spec, rounds) = await Run(Scenario(seed, Names.SegmentWeights, "[ensemble, solo]", Shift));
        Assert.Contains(spec.EventList, e => e.Kind == ScenarioEvent.PreferenceShift && e.Round == 20);

        // Whole run, paired shard by shard with each solo arm (the same users and random streams);
        // two comparisons at δ = 0.0005 each keep the chance of any false claim at 0.001 (Bonferroni).
        Report($"seed {seed}, whole run:", spec, rounds, 0);
        var ensemble = RunSummary.ExpectedCtrByShard(rounds[Names.Ensemble]);
        Assert.Equal(PairedShardBound.Shards, ensemble.Length);
        foreach (var solo in SoloArms(rounds))
        {
            var (gap, margin) = PairedShardBound.Of(ensemble, RunSummary.ExpectedCtrByShard(rounds[solo]), PairedShardBound.T9995);
            output.WriteLine($"seed {seed}: ensemble − {solo} {gap:F4}, margin {margin:F4}");
            Assert.True(gap > margin, $"seed {seed}: ensemble beats {solo} by {gap:F4}, not above the margin {margin:F4}");
        }
    }
}
