using MultiAgentRec.Coordination;
using MultiAgentRec.Simulation;
using static MultiAgentRec.UnitTests.AggregationTests;

namespace MultiAgentRec.UnitTests;

public sealed class AgentPickingTests
{
    [Fact]
    public void Picked_slates_follow_the_mixture_whose_propensities_are_logged()
    {
        // Two agents with overlapping lists, pick probabilities 0.3 / 0.7, slates of 2 at τ = 1 (so
        // every slate has a visible probability). Draw as pick mode does: pick an agent, sample its own
        // PL slate; the product of the logged propensities must match each ordered slate's frequency
        // (binomial, 4 standard errors) and each propensity must lie in (0, 1].
        var a = Candidates([4, 1, 7], [2.0f, 1.5f, 0.2f], mean: 1, sd: 1);
        var b = Candidates([1, 9, 4], [3.0f, 1.0f, 0.5f], mean: 1, sd: 2);
        CandidateSet[] agents = [a, b];
        double[] weights = [0.3, 0.7];
        const int k = 2, draws = 60_000;
        const double temperature = 1;
        var rng = new SimRandom(71);
        var counts = new Dictionary<(int, int), int>();
        var logged = new Dictionary<(int, int), double>();
        var z = new float[3];
        var slotIndex = new int[k];
        var propensities = new float[k];
        var slate = new int[k];
        for (var d = 0; d < draws; d++)
        {
            var picked = agents[AgentPicking.Pick(weights, ref rng)];
            SoloPolicyCredit.OwnScores(picked, 0, z);
            SlateSampling.PlackettLuce(z, temperature, ref rng, slotIndex, propensities, new double[3]);
            for (var s = 0; s < k; s++) slate[s] = picked.ItemsOf(0)[slotIndex[s]];
            AgentPicking.MixturePropensities(agents, 0, weights, temperature, slate, propensities, new double[4]);
            Assert.All(propensities, p => Assert.True(p is > 0 and <= 1, $"propensity {p}"));
            var key = (slate[0], slate[1]);
            counts[key] = counts.GetValueOrDefault(key) + 1;
            logged[key] = (double)propensities[0] * propensities[1];
        }
        // Every possible slate was drawn at least once here, so the logged laws add up to 1 (float rounding).
        Assert.Equal(1, logged.Values.Sum(), 1e-6);
        foreach (var (key, p) in logged)
        {
            var se = Math.Sqrt(p * (1 - p) / draws);
            Assert.InRange((double)counts[key] / draws, p - 4 * se, p + 4 * se);
        }
    }

    [Fact]
    public void Agents_are_picked_with_their_weights()
    {
        double[] weights = [0.1, 0.6, 0.3];
        var rng = new SimRandom(72);
        var counts = new int[3];
        const int draws = 50_000;
        for (var d = 0; d < draws; d++) counts[AgentPicking.Pick(weights, ref rng)]++;
        for (var a = 0; a < 3; a++)
        {
            var se = Math.Sqrt(weights[a] * (1 - weights[a]) / draws);
            Assert.InRange((double)counts[a] / draws, weights[a] - 4 * se, weights[a] + 4 * se);
        }
    }
}
