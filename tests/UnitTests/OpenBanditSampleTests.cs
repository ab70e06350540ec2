using System.Globalization;
using MultiAgentRec.Evaluation;

namespace MultiAgentRec.UnitTests;

/// <summary>The product against the Open Bandit Dataset sample that CI keeps beside the clone, in ../shared/data/obd.</summary>
public sealed class OpenBanditSampleTests
{
    private static string Obd()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (!File.Exists(Path.Combine(dir.FullName, "MultiAgentRec.sln"))) continue;
            var obd = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "data", "obd"));
            Assert.True(Directory.Exists(obd), $"the Open Bandit Dataset sample is expected at {obd} (shared/ beside the clone); see shared/data/obd/ABOUT.md");
            return obd;
        }
        throw new InvalidOperationException($"no MultiAgentRec.sln above {AppContext.BaseDirectory}");
    }

    /// <summary>Uniform IPW = mean of (1/K)/propensity · click, read with a few lines of parsing, not the product's reader.</summary>
    private static double IndependentUniformIpw(string csv, string itemContext)
    {
        var items = File.ReadAllLines(itemContext).Skip(1).Count(l => l.Length > 0);
        var lines = File.ReadAllLines(csv);
        var header = lines[0].Split(',');
        int click = Array.IndexOf(header, "click"), propensity = Array.IndexOf(header, "propensity_score");
        double sum = 0;
        var rows = 0;
        foreach (var line in lines.Skip(1).Where(l => l.Length > 0))
        {
            var cells = line.Split(',');
            sum += double.Parse(cells[click], CultureInfo.InvariantCulture) / items / double.Parse(cells[propensity], CultureInfo.InvariantCulture);
            rows++;
        }
        return sum / rows;
    }

    [Theory]
    [InlineData("bts", "men")]
    [InlineData("bts", "women")]
    [InlineData("random", "men")]
    public void Uniform_policy_ipw_matches_an_independent_computation_from_the_csv(string logging, string campaign)
    {
        var folder = Path.Combine(Obd(), logging, campaign);
        var csv = Path.Combine(folder, $"{campaign}.csv");
        var expected = IndependentUniformIpw(csv, Path.Combine(folder, "item_context.csv"));

        var log = BanditFeedbackReader.Read(csv);
        Assert.Equal(10_000, log.Rows);
        Assert.Equal(3, log.Positions);
        var settings = new EvaluationSettings { Estimators = [OffPolicyEstimators.Ipw], BootstrapResamples = 1 };
        var result = OffPolicyEvaluation.Evaluate(log, "uniform", UniformPolicy.ActionProbabilities(log), settings);
        // Same terms summed in the same order except for (1/K)/p versus click/K/p: a few ulps per row.
        Assert.Equal(expected, result.Estimates[0].Value, 1e-12);
    }
}
