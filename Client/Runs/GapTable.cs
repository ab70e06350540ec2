using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using MultiAgentRec.Contracts;

namespace MultiAgentRec.Client.Runs;

/// <summary>One arm's row of the gap table: its last-quarter expectedCtr and the share of the random→oracle gap it closes.</summary>
public sealed record GapRow(string Arm, double ExpectedCtr, double GapClosed, double? OfPopularityOracle);

/// <summary>
/// How much of the gap between random slates and the per-user oracle each arm closes, over the last
/// quarter of rounds: (arm − random) / (oracle − random) of expectedCtr, so random is 0 and the
/// oracle 1; next to the popularity oracle (the best fixed slate per segment), the ceiling of a
/// non-contextual learner. Generic over the arms a scenario has; needs its random and oracle arms.
/// </summary>
public static class GapTable
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>The rows in the scenario's arm order, or null when the run has no random or no oracle arm.</summary>
    public static IReadOnlyList<GapRow>? Rows(RunResult result)
    {
        var spec = result.Spec;
        var from = RunSummary.LastQuarterStart(spec.Rounds);
        double? Ctr(string arm) => result.Rounds.TryGetValue(arm, out var rounds) ? RunSummary.Compute(rounds, spec.Catalog.Items, from).ExpectedCtr : null;
        if (Ctr(Names.Random) is not { } random || Ctr(Names.Oracle) is not { } oracle) return null;
        var popularity = Ctr(Names.PopularityOracle);
        var gap = oracle - random;
        return result.Rounds.Keys.Select(arm =>
        {
            var ctr = Ctr(arm)!.Value;
            return new GapRow(arm, ctr, gap > 0 ? (ctr - random) / gap : double.NaN, popularity is > 0 ? ctr / popularity : null);
        }).ToList();
    }

    /// <summary>The "Gap table" section of report.md, or an empty string without random and oracle arms.</summary>
    public static string Markdown(RunResult result)
    {
        if (Rows(result) is not { } rows) return "";
        var lq = RunSummary.LastQuarterStart(result.Spec.Rounds);
        string Of(string arm) => rows.FirstOrDefault(r => r.Arm == arm) is { } row ? row.ExpectedCtr.ToString("F4", Inv) : "–";
        var sb = new StringBuilder();
        sb.Append(Inv, $"## Gap table (last quarter, rounds {lq}–{result.Spec.Rounds - 1})\n\n");
        sb.Append(Inv, $"Reference expectedCtr: random {Of(Names.Random)}, popularity-oracle {Of(Names.PopularityOracle)}, oracle {Of(Names.Oracle)}. ");
        sb.Append("`gap closed` = (arm − random) / (oracle − random); `of popularity-oracle` = arm / popularity-oracle.\n\n");
        sb.Append("| arm | expectedCtr | random | popularity-oracle | oracle | gap closed | of popularity-oracle |\n|---|---:|---:|---:|---:|---:|---:|\n");
        foreach (var r in rows)
        {
            var of = r.OfPopularityOracle is { } ratio ? Percent(ratio) : "–";
            sb.Append(Inv, $"| {r.Arm} | {r.ExpectedCtr:F4} | {Of(Names.Random)} | {Of(Names.PopularityOracle)} | {Of(Names.Oracle)} | {Percent(r.GapClosed)} | {of} |\n");
        }
        return sb.Append('\n').ToString();
    }

    private static string Percent(double x) => double.IsFinite(x) ? (100 * x).ToString("F1", Inv) + "%" : "–";

    /// <summary>The summary.json "gapTable" object (per arm: expectedCtr, gapClosed, ofPopularityOracle), or null.</summary>
    public static JsonObject? Json(RunResult result)
    {
        if (Rows(result) is not { } rows) return null;
        var arms = new JsonObject();
        foreach (var r in rows)
            arms[r.Arm] = new JsonObject
            {
                ["expectedCtr"] = Math.Round(r.ExpectedCtr, 6),
                ["gapClosed"] = double.IsFinite(r.GapClosed) ? Math.Round(r.GapClosed, 6) : null,
                ["ofPopularityOracle"] = r.OfPopularityOracle is { } ratio ? Math.Round(ratio, 6) : null,
            };
        return new JsonObject { ["fromRound"] = RunSummary.LastQuarterStart(result.Spec.Rounds), ["arms"] = arms };
    }
}
