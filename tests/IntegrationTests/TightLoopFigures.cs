using MultiAgentRec.Arms;
using MultiAgentRec.Contracts;
using MultiAgentRec.Simulation;

namespace MultiAgentRec.IntegrationTests;

/// <summary>An arm played by the single-process tight loop, and the comparison of a grain run's rounds with it.</summary>
internal static class TightLoopFigures
{
    /// <summary>Every round of <paramref name="arm"/> in the tight loop, and the gradient steps its trainer took.</summary>
    public static (RoundReport[] Rounds, long Steps) Run(SimulationSpec spec, string arm)
    {
        using var simulation = new ArmSimulation(new World(spec), arm);
        var rounds = Enumerable.Range(0, spec.Rounds).Select(simulation.RunRound).ToArray();
        return (rounds, simulation.TrainingSteps);
    }

    /// <summary>
    /// Asserts that a grain run's rounds are the tight loop's: clicks, shown items and exact sums to the
    /// last bits, weights to <paramref name="weightTolerance"/> (why 1e-6 by default: below).
    /// </summary>
    public static void AssertSame(RoundReport[] expected, RoundReport[] actual, string arm, double weightTolerance = 1e-6)
    {
        for (var r = 0; r < expected.Length; r++)
        {
            // The same clicks and the same exact click probabilities, round by round. Sums of the
            // same per-user doubles grouped alike (in shard order): equal to the last bits.
            Assert.True(expected[r].Clicks == actual[r].Clicks, $"{arm} round {r}: clicks {expected[r].Clicks} vs {actual[r].Clicks}");
            Assert.Equal(expected[r].SumExpectedClick, actual[r].SumExpectedClick, 9);
            Assert.Equal(expected[r].SumRegret, actual[r].SumRegret, 9);
            Assert.Equal(expected[r].ItemsShown, actual[r].ItemsShown);
            // Weights follow fair credit, a continuous function of every agent's scores, and the REINFORCE
            // agent's trained parameters are not bit-reproducible even between two runs of the tight loop in
            // one process (TorchSharp's CPU kernels; measured: credit sums differ by ~2e-8 relative from the
            // first training step on, with OMP_NUM_THREADS=1 too). So weights are compared to 1e-6, far
            // above that and far below any learned difference (one click of credit moves a weight by ~1e-4);
            // bandit-only arms, which are bit-reproducible, pin weights to 1e-12 (sums regrouped over shards) in ShardSimulationTests.
            var expectedWeights = expected[r].Weights.Select(w => w.Weight).ToArray();
            var actualWeights = actual[r].Weights.Select(w => w.Weight).ToArray();
            Assert.Equal(expectedWeights.Length, actualWeights.Length);
            for (var a = 0; a < expectedWeights.Length; a++) Assert.Equal(expectedWeights[a], actualWeights[a], weightTolerance);
        }
    }
}
