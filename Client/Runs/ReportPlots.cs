using MultiAgentRec.Contracts;
using ScottPlot;

namespace MultiAgentRec.Client.Runs;

/// <summary>
/// The report's figures as PNG files (ScottPlot): learning curves per arm, the ensemble's agent
/// weights over rounds, and regret per arm (a dashed line at each timed event's round), plus each
/// cold-start cohort's expected CTR by interaction index. Expected CTR rather than sampled CTR is plotted: it is
/// the exact click probability of the shown slates, so the curves show learning, not click noise.
/// </summary>
public static class ReportPlots
{
    public const string LearningCurves = "learning-curves.png";
    public const string AgentWeights = "agent-weights.png";
    public const string Regret = "regret.png";

    private const int Width = 900, Height = 500;

    /// <summary>Writes the figures into <paramref name="directory"/>; returns the file names written, with their captions.</summary>
    public static IReadOnlyList<(string File, string Caption)> WriteAll(RunResult result, string directory)
    {
        var written = new List<(string, string)>();
        Save(MarkEvents(PerArm(result, "Expected CTR per round", "expected CTR", r => r.SumExpectedClick, Alignment.LowerRight), result), directory, LearningCurves, "Learning curves: expected CTR per round, per arm", written);
        Save(MarkEvents(PerArm(result, "Regret per round (oracle's expected CTR − shown)", "regret", r => r.SumRegret, Alignment.UpperRight), result), directory, Regret, "Regret per round, per arm", written);
        if (Weights(result) is { } weights) Save(MarkEvents(weights, result), directory, AgentWeights, "The ensemble's agent weights over rounds", written);
        foreach (var (cohort, arms) in CohortSummary.Compute(result))
            Save(CohortCurves(cohort.Round, arms), directory, CohortFile(cohort.Index), $"Cold-start cohort of round {cohort.Round}: expected CTR by interaction index, per arm", written);
        return written;
    }

    /// <summary>The figure of cold-start cohort <paramref name="index"/>.</summary>
    public static string CohortFile(int index) => $"cohort-{index}.png";

    private static Plot CohortCurves(int round, IReadOnlyDictionary<string, CohortCurve> arms)
    {
        var plot = new Plot();
        foreach (var (arm, curve) in arms)
        {
            var line = plot.Add.Scatter(Enumerable.Range(1, curve.ExpectedCtrByInteraction.Length).Select(i => (double)i).ToArray(), curve.ExpectedCtrByInteraction);
            line.LegendText = arm;
            line.MarkerSize = 0;
            line.LineWidth = 2;
        }
        Labelled(plot, $"Cold-start cohort of round {round}: expected CTR by interaction index", "expected CTR", Alignment.LowerRight);
        plot.XLabel("interaction index (the cohort's users' n-th step)");
        return plot;
    }

    // Timed events are where curves are expected to bend: a dashed line at each event's round.
    private static Plot MarkEvents(Plot plot, RunResult result)
    {
        foreach (var round in result.Spec.EventList.Select(e => e.Round).Distinct())
        {
            var line = plot.Add.VerticalLine(round);
            line.LinePattern = LinePattern.Dashed;
            line.Color = Colors.Gray;
        }
        return plot;
    }

    private static Plot PerArm(RunResult result, string title, string yLabel, Func<RoundReport, double> sum, Alignment legend)
    {
        var plot = new Plot();
        foreach (var (arm, rounds) in result.Rounds)
        {
            var xs = rounds.Select(r => (double)r.Round).ToArray();
            var ys = rounds.Select(r => sum(r) / Math.Max(1, r.Slates)).ToArray();
            var line = plot.Add.Scatter(xs, ys);
            line.LegendText = arm;
            line.MarkerSize = 0;
            line.LineWidth = 2;
        }
        return Labelled(plot, title, yLabel, legend);
    }

    private static Plot? Weights(RunResult result)
    {
        if (!result.Rounds.TryGetValue(Names.Ensemble, out var rounds) || rounds.Length == 0 || rounds[0].Weights.Length == 0) return null;
        var plot = new Plot();
        foreach (var agent in rounds[0].Weights.Select(w => w.AgentId))
        {
            var xs = rounds.Select(r => (double)r.Round).ToArray();
            var ys = rounds.Select(r => r.Weights.FirstOrDefault(w => w.AgentId == agent)?.Weight ?? double.NaN).ToArray();
            var line = plot.Add.Scatter(xs, ys);
            line.LegendText = agent;
            line.MarkerSize = 0;
            line.LineWidth = 2;
        }
        plot.Axes.SetLimitsY(0, 1);
        return Labelled(plot, "Agent weights in the ensemble's aggregation", "weight", Alignment.UpperRight);
    }

    // Learning curves rise to the upper right, so their legend goes below them.
    private static Plot Labelled(Plot plot, string title, string yLabel, Alignment legend)
    {
        plot.Title(title);
        plot.XLabel("round");
        plot.YLabel(yLabel);
        plot.ShowLegend(legend);
        return plot;
    }

    private static void Save(Plot plot, string directory, string file, string caption, List<(string, string)> written)
    {
        plot.SavePng(Path.Combine(directory, file), Width, Height);
        written.Add((file, caption));
    }
}
