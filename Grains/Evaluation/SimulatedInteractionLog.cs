using System.Globalization;
using MultiAgentRec.Contracts;
using MultiAgentRec.Simulation;

namespace MultiAgentRec.Evaluation;

/// <summary>
/// Writes logged bandit feedback from the simulator, in the Open Bandit Dataset's format plus the one
/// thing no real log has: per row, the exact expected reward of every item under the user's true
/// choice model (<c>expected_reward_k</c>), so the true value of any evaluated policy is known.
/// <para>
/// A plain loop over <see cref="SimulatedUser"/>s (no grains): round by round, each user is shown one
/// item (one slot, so an item's expected reward does not depend on what else is on the slate) drawn by
/// a logging policy that is a softmax over the user's observable affinities ⟨profile, embedding⟩,
/// mixed with a uniform share ε so every propensity is at least ε/K. The user then steps as in a run:
/// clicks by its multinomial-logit choice, drifts, gets bored.
/// </para>
/// </summary>
public static class SimulatedInteractionLog
{
    public const string LogFile = "interactions.csv";

    /// <summary>How the logging policy chooses: softmax(β·affinity) with probability 1 − ε, uniform with ε.</summary>
    public sealed record LoggingPolicy(double InverseTemperature = 5.0, double UniformShare = 0.2);

    /// <summary>Writes <see cref="LogFile"/> and item_context.csv into <paramref name="outDir"/>; returns the log's path.</summary>
    public static string Write(SimulationSpec scenario, int rows, LoggingPolicy logging, string outDir)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        var spec = scenario with { SlateSize = 1 };
        var world = new World(spec);
        var catalog = world.Catalog;
        int items = catalog.Count, d = catalog.Dim;
        var users = Enumerable.Range(0, spec.Users.Count).Select(i => new SimulatedUser(world, i)).ToArray();
        Directory.CreateDirectory(outDir);
        WriteItems(catalog, Path.Combine(outDir, BanditFeedbackReader.ItemContextFile));

        var path = Path.Combine(outDir, LogFile);
        using var w = new StreamWriter(path);
        var header = new List<string> { "", BanditFeedbackReader.ItemId, BanditFeedbackReader.PositionColumn, BanditFeedbackReader.Click, BanditFeedbackReader.PropensityScore };
        // User features are exactly what a REINFORCE agent observes online (profile, then one-hot
        // segment; see ReinforcePolicyNetwork.Features), all numeric, so a policy trained on the log
        // sees the same inputs when it starts online.
        var segments = spec.Users.Segments;
        for (var j = 0; j < d + segments; j++) header.Add(Name(BanditFeedbackReader.UserFeaturePrefix, j));
        for (var k = 0; k < items; k++) header.Add(Name(BanditFeedbackReader.AffinityPrefix, k));
        for (var k = 0; k < items; k++) header.Add(Name(BanditFeedbackReader.ExpectedRewardPrefix, k));
        w.WriteLine(string.Join(',', header));

        var affinity = new double[items];
        var propensity = new double[items];
        var expected = new double[items];
        var one = new int[1];
        var shown = new int[1];
        var written = 0;
        for (var round = 0; written < rows; round++)
        {
            foreach (var user in users)
            {
                if (written == rows) break;
                var utilities = user.Utilities();
                for (var a = 0; a < items; a++)
                {
                    one[0] = a;
                    expected[a] = world.Choice.ExpectedClick(utilities, one);
                    affinity[a] = Catalog.Dot(user.Profile, catalog.Embedding(a));
                }
                Softmax(affinity, logging.InverseTemperature, propensity);
                for (var a = 0; a < items; a++) propensity[a] = (1 - logging.UniformShare) * propensity[a] + logging.UniformShare / items;
                var rng = SimRandom.For(spec.Seed, SimRandom.Key("logging-policy"), (ulong)user.Index, (ulong)round);
                var item = Sample(propensity, rng.NextDouble());
                one[0] = item;
                var step = user.Step(round, one, shown);

                var cells = new List<string>(header.Count)
                {
                    Format(written), Format(item), "1", step.ClickedPosition == 0 ? "1" : "0", Format(propensity[item]),
                };
                for (var j = 0; j < d; j++) cells.Add(Format(user.Profile[j]));
                for (var g = 0; g < segments; g++) cells.Add(g == user.Segment ? "1" : "0");
                for (var a = 0; a < items; a++) cells.Add(Format(affinity[a]));
                for (var a = 0; a < items; a++) cells.Add(Format(expected[a]));
                w.WriteLine(string.Join(',', cells));
                written++;
            }
        }
        return path;
    }

    private static void WriteItems(Catalog catalog, string path)
    {
        using var w = new StreamWriter(path);
        var header = new List<string> { "", BanditFeedbackReader.ItemId };
        for (var j = 0; j < catalog.Dim; j++) header.Add(Name(BanditFeedbackReader.ItemFeaturePrefix, j));
        w.WriteLine(string.Join(',', header));
        for (var i = 0; i < catalog.Count; i++)
        {
            var cells = new List<string> { Format(i), Format(i) };
            foreach (var x in catalog.Embedding(i)) cells.Add(Format(x));
            w.WriteLine(string.Join(',', cells));
        }
    }

    private static void Softmax(double[] x, double beta, double[] p)
    {
        var max = x.Max();
        double sum = 0;
        for (var a = 0; a < x.Length; a++) sum += p[a] = Math.Exp(beta * (x[a] - max));
        for (var a = 0; a < x.Length; a++) p[a] /= sum;
    }

    private static int Sample(double[] p, double uniform)
    {
        double cumulative = 0;
        for (var a = 0; a < p.Length; a++)
        {
            cumulative += p[a];
            if (uniform < cumulative) return a;
        }
        return p.Length - 1;
    }

    private static string Name(string prefix, int k) => prefix + k.ToString(CultureInfo.InvariantCulture);

    // Nine significant digits: the truth is computed from the numbers read back, so rounding here
    // cannot make it disagree with the estimates; it only moves the logging policy by < 1e-8 relative.
    private static string Format(double v) => v.ToString("G9", CultureInfo.InvariantCulture);
    private static string Format(int v) => v.ToString(CultureInfo.InvariantCulture);
}
