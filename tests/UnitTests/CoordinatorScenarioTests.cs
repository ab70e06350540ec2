using MultiAgentRec.Client.Scenarios;
using MultiAgentRec.Contracts;

namespace MultiAgentRec.UnitTests;

/// <summary>
/// The coordinator keys of a scenario (aggregation rules, weight modes, discount, credit clip) and
/// <c>users.segmentSpread</c>, which makes segments differ so that per-segment weights can matter.
/// </summary>
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

    [Fact]
    public void Segment_spread_gives_each_segment_its_own_interest_spread()
    {
        var users = TestWorlds.Spec($$"""
            name: spread
            {{Agents}}
            users: { segments: 3, interestSpread: 0.4, segmentSpread: [0, 0.5, 2] }
            """).Users;

        Assert.Equal([0, 0.5, 2], users.SegmentSpread!);
        Assert.Equal(2, users.SpreadOf(2));
        Assert.Equal(0.4, (users with { SegmentSpread = null }).SpreadOf(2));
    }

    [Theory]
    [InlineData("segmentSpread: [0.1, 0.2]", "users.segmentSpread: expected one spread per segment (3, users.segments), got 2")]
    [InlineData("segmentSpread: 0.3", "users.segmentSpread: expected a sequence of 3 numbers >= 0 (one interest spread per segment), got ")]
    [InlineData("segmentSpread: [0.1, -1, 0.2]", "users.segmentSpread[1]: ")]
    public void Bad_segment_spreads_are_reported_at_their_line(string line, string message)
    {
        var result = ScenarioLoader.Parse($"""
            name: spread
            {Agents}
            users:
              segments: 3
              {line}
            """, "s.yaml");

        var problem = Assert.Single(result.Problems);
        Assert.Equal(5, problem.Line);
        Assert.StartsWith(message, problem.Message);
    }

    [Fact]
    public void Users_of_a_segment_without_spread_share_its_centroid_and_others_do_not()
    {
        var spec = TestWorlds.Spec($$"""
            name: spread
            {{Agents}}
            catalog: { items: 30, embeddingDim: 8 }
            users: { count: 60, segments: 2, segmentSpread: [0, 1] }
            """);
        var world = new Simulation.World(spec);
        var users = Enumerable.Range(0, 60).Select(i => new Simulation.SimulatedUser(world, i)).ToArray();

        foreach (var u in users.Where(u => u.Segment == 0)) Assert.Equal(world.Centroids[..8], u.Interest.ToArray());
        Assert.All(users.Where(u => u.Segment == 1), u => Assert.NotEqual(world.Centroids[8..16], u.Interest.ToArray()));
    }

    [Fact]
    public void Segment_profile_noise_gives_each_segment_its_own_profile_noise()
    {
        var spec = TestWorlds.Spec($$"""
            name: noise
            {{Agents}}
            catalog: { items: 30, embeddingDim: 8 }
            users: { count: 60, segments: 2, profileNoise: 0.3, segmentProfileNoise: [0, 4] }
            """);
        var world = new Simulation.World(spec);
        var users = Enumerable.Range(0, 60).Select(i => new Simulation.SimulatedUser(world, i)).ToArray();

        Assert.Equal([0, 4], spec.Users.SegmentProfileNoise!);
        Assert.Equal(0.3, (spec.Users with { SegmentProfileNoise = null }).ProfileNoiseOf(1));
        // Without noise the profile is the latent interest; with a noise of 4 it is far from it (norm ≈ 4).
        Assert.All(users.Where(u => u.Segment == 0), u => Assert.Equal(u.Interest.ToArray(), u.Profile));
        Assert.All(users.Where(u => u.Segment == 1), u =>
            Assert.True(Math.Sqrt(u.Profile.Zip(u.Interest.ToArray(), (p, i) => (p - i) * (p - i)).Sum()) > 1));
    }

    [Theory]
    [InlineData("segmentProfileNoise: [0.1, 0.2]", "users.segmentProfileNoise: expected one profile noise per segment (3, users.segments), got 2")]
    [InlineData("segmentProfileNoise: 0.3", "users.segmentProfileNoise: expected a sequence of 3 numbers >= 0 (one profile noise per segment), got ")]
    [InlineData("segmentProfileNoise: [0.1, -1, 0.2]", "users.segmentProfileNoise[1]: ")]
    public void Bad_segment_profile_noises_are_reported_at_their_line(string line, string message) =>
        Bad_segment_spreads_are_reported_at_their_line(line, message);
}
