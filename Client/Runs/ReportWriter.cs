using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MultiAgentRec.Contracts;

namespace MultiAgentRec.Client.Runs;

/// <summary>Writes summary.json, metrics.csv, agent-weights.csv and report.md, and renders the results table.</summary>
public static class ReportWriter
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static void WriteAll(RunResult result, string directory)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "summary.json"), Summary(result).ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        File.WriteAllText(Path.Combine(directory, "metrics.csv"), MetricsCsv(result));
        File.WriteAllText(Path.Combine(directory, "agent-weights.csv"), WeightsCsv(result));
        var figures = ReportPlots.WriteAll(result, directory);
        File.WriteAllText(Path.Combine(directory, "report.md"), Markdown(result, figures));
    }

    /// <summary>The summary.json document (fields as in the design brief).</summary>
    public static JsonObject Summary(RunResult result)
    {
        var spec = result.Spec;
        var lastQuarterStart = RunSummary.LastQuarterStart(spec.Rounds);
        var arms = new JsonObject();
        var lastQuarter = new JsonObject();
        var bySegment = new JsonObject();
        foreach (var (arm, rounds) in result.Rounds)
        {
            arms[arm] = Json(RunSummary.Compute(rounds, spec.Catalog.Items));
            lastQuarter[arm] = Json(RunSummary.Compute(rounds, spec.Catalog.Items, lastQuarterStart));
            bySegment[arm] = new JsonObject
            {
                ["expectedCtr"] = SegmentFigures(RunSummary.ExpectedCtrBySegment(rounds)),
                ["lastQuarterExpectedCtr"] = SegmentFigures(RunSummary.ExpectedCtrBySegment(rounds, lastQuarterStart)),
            };
        }
        var weights = RunSummary.FinalWeights(result);
        var agents = new JsonObject();
        foreach (var a in spec.Agents)
            agents[a.Id] = new JsonObject { ["kind"] = a.Kind, ["finalWeight"] = weights.TryGetValue(a.Id, out var w) ? Round(w) : null };
        var t = result.Training;
        var summary = new JsonObject
        {
            ["scenario"] = spec.Name,
            ["seed"] = spec.Seed,
            ["runId"] = result.RunId,
            ["rounds"] = spec.Rounds,
            ["users"] = spec.Users.Count,
            ["userSteps"] = result.UserSteps,
            ["wallSeconds"] = Round(result.WallSeconds),
            ["userStepsPerSecond"] = Round(result.UserSteps / Math.Max(result.WallSeconds, 1e-9)),
            ["arms"] = arms,
            ["lastQuarter"] = lastQuarter,
            ["lastQuarterFromRound"] = lastQuarterStart,
            ["agents"] = agents,
            ["gapTable"] = GapTable.Json(result),
            ["bySegment"] = bySegment,
            ["training"] = new JsonObject
            {
                ["device"] = t.Device,
                ["updates"] = t.Updates,
                ["samples"] = t.Samples,
                ["samplesPerSecond"] = t.TrainingSeconds > 0 ? Round(t.Samples / t.TrainingSeconds) : 0,
                ["lastLoss"] = double.IsFinite(t.LastLoss) ? Round(t.LastLoss) : null,
            },
        };
        if (spec.EventList.Length > 0) AddEvents(result, summary);
        return summary;
    }

    /// <summary>One figure per user segment (null for a segment without slates).</summary>
    private static JsonArray SegmentFigures(double[] figures) =>
        new([.. figures.Select(f => (JsonNode?)(double.IsFinite(f) ? Round(f) : null))]);

    /// <summary>The scenario's events and each cold-start cohort's figures by interaction index (only for scenarios with events).</summary>
    private static void AddEvents(RunResult result, JsonObject summary)
    {
        var events = new JsonArray();
        foreach (var e in result.Spec.EventList.OrderBy(e => e.Round))
        {
            var o = new JsonObject { ["round"] = e.Round, ["kind"] = e.Kind };
            switch (e.Kind)
            {
                case ScenarioEvent.PreferenceShift:
                    o["segments"] = e.Segments.Length == 0 ? "all" : new JsonArray([.. e.Segments.Select(s => (JsonNode)s)]);
                    o["amount"] = e.Amount;
                    break;
                case ScenarioEvent.NewItems: o["count"] = e.Count; break;
                case ScenarioEvent.Cohort: o["users"] = e.Count; break;
                default: o["agent"] = e.AgentId; break;
            }
            events.Add(o);
        }
        summary["events"] = events;
        var cohorts = new JsonArray();
        foreach (var (cohort, arms) in CohortSummary.Compute(result))
        {
            var perArm = new JsonObject();
            foreach (var (arm, c) in arms)
                perArm[arm] = new JsonObject
                {
                    ["ctr"] = Round(c.Ctr),
                    ["expectedCtr"] = Round(c.ExpectedCtr),
                    ["slates"] = c.Slates,
                    ["ctrByInteraction"] = new JsonArray([.. c.CtrByInteraction.Select(x => (JsonNode)Round(x))]),
                    ["expectedCtrByInteraction"] = new JsonArray([.. c.ExpectedCtrByInteraction.Select(x => (JsonNode)Round(x))]),
                };
            cohorts.Add(new JsonObject { ["round"] = cohort.Round, ["users"] = cohort.Count, ["firstUser"] = cohort.FirstUser, ["arms"] = perArm });
        }
        if (cohorts.Count > 0) summary["cohorts"] = cohorts;
    }

    private static JsonObject Json(ArmMetrics m) => new()
    {
        ["ctr"] = Round(m.Ctr),
        ["expectedCtr"] = Round(m.ExpectedCtr),
        ["regret"] = Round(m.Regret),
        ["ndcg"] = Round(m.Ndcg),
        ["coverage"] = Round(m.Coverage),
        ["diversity"] = Round(m.Diversity),
        ["engagement"] = Round(m.Engagement),
        ["slates"] = m.Slates,
    };

    private static double Round(double x) => Math.Round(x, 6);

    public static string MetricsCsv(RunResult result)
    {
        var sb = new StringBuilder("round,arm,slates,clicks,ctr,expectedCtr,regret,ndcg,coverage,diversity,engagement,sessionsEnded,seconds\n");
        var items = result.Spec.Catalog.Items;
        foreach (var (arm, rounds) in result.Rounds)
        {
            var shown = new HashSet<int>();
            foreach (var r in rounds)
            {
                shown.UnionWith(r.ItemsShown);
                double n = Math.Max(1, r.Slates);
                sb.Append(Inv, $"{r.Round},{arm},{r.Slates},{r.Clicks},{r.Clicks / n:F6},{r.SumExpectedClick / n:F6},{r.SumRegret / n:F6},{r.SumNdcg / n:F6},")
                  .Append(Inv, $"{(double)shown.Count / items:F6},{r.SumDiversity / n:F6},{r.SumEngagement / n:F6},{r.SessionsEnded},{r.Seconds:F4}\n");
            }
        }
        return sb.ToString();
    }

    public static string WeightsCsv(RunResult result)
    {
        var sb = new StringBuilder("round,arm,agent,weight,creditedClicks\n");
        foreach (var (arm, rounds) in result.Rounds)
            foreach (var r in rounds)
                foreach (var w in r.Weights)
                    sb.Append(Inv, $"{r.Round},{arm},{w.AgentId},{w.Weight:F6},{w.CreditedReward:F2}\n");
        return sb.ToString();
    }

    /// <summary>The plain-text results table: one row per arm.</summary>
    public static string Table(RunResult result)
    {
        var spec = result.Spec;
        var lq = RunSummary.LastQuarterStart(spec.Rounds);
        var rows = result.Rounds.Select(kv => (Arm: kv.Key, All: RunSummary.Compute(kv.Value, spec.Catalog.Items), Last: RunSummary.Compute(kv.Value, spec.Catalog.Items, lq))).ToList();
        var width = Math.Max(10, rows.Max(r => r.Arm.Length) + 2);
        var sb = new StringBuilder();
        sb.Append("arm".PadRight(width)).Append(Inv, $"{"ctr",8}{"expCtr",9}{"regret",9}{"ndcg",8}{"cover",8}{"divers",8}{"engage",8}{"expCtr(last¼)",15}\n");
        foreach (var (arm, all, last) in rows)
            sb.Append(arm.PadRight(width)).Append(Inv, $"{all.Ctr,8:F4}{all.ExpectedCtr,9:F4}{all.Regret,9:F4}{all.Ndcg,8:F3}{all.Coverage,8:F3}{all.Diversity,8:F3}{all.Engagement,8:F3}{last.ExpectedCtr,15:F4}\n");
        return sb.ToString();
    }

    /// <summary>The events of the run, then each cold-start cohort's CTR by interaction index, arm by arm.</summary>
    private static void EventsMarkdown(RunResult result, StringBuilder sb)
    {
        sb.Append("## Events\n\nEach takes effect at the start of its round.\n\n| round | event |\n|---:|---|\n");
        foreach (var e in result.Spec.EventList.OrderBy(e => e.Round))
        {
            var what = e.Kind switch
            {
                ScenarioEvent.PreferenceShift => $"preference shift of {(e.Segments.Length == 0 ? "every segment" : $"segments {string.Join(", ", e.Segments)}")}, amount {e.Amount.ToString(Inv)}",
                ScenarioEvent.NewItems => $"{e.Count} new items",
                ScenarioEvent.Cohort => $"cohort of {e.Count} cold-start users",
                ScenarioEvent.AddAgent => $"agent `{e.AgentId}` joins the ensemble",
                _ => $"agent `{e.AgentId}` leaves the ensemble",
            };
            sb.Append(Inv, $"| {e.Round} | {what} |\n");
        }
        sb.Append('\n');
        foreach (var (cohort, arms) in CohortSummary.Compute(result))
        {
            sb.Append(Inv, $"### Cold-start cohort of round {cohort.Round} ({cohort.Count:N0} users)\n\n");
            sb.Append("Its users are also counted in the arms' figures above. `ctr` / `expectedCtr` by interaction index (the users' 1st, 2nd, … step):\n\n");
            sb.Append("| step |").Append(string.Concat(arms.Keys.Select(a => $" {a} |"))).Append("\n|---:|").Append(string.Concat(arms.Keys.Select(_ => "---:|"))).Append('\n');
            var steps = arms.Values.Max(c => c.CtrByInteraction.Length);
            for (var i = 0; i < steps; i++)
            {
                sb.Append(Inv, $"| {i + 1} |");
                foreach (var c in arms.Values)
                    sb.Append(i < c.CtrByInteraction.Length ? string.Create(Inv, $" {c.CtrByInteraction[i]:F3} / {c.ExpectedCtrByInteraction[i]:F3} |") : " – |");
                sb.Append('\n');
            }
            sb.Append("| all |").Append(string.Concat(arms.Values.Select(c => string.Create(Inv, $" {c.Ctr:F3} / {c.ExpectedCtr:F3} |")))).Append("\n\n");
        }
    }

    public static string Markdown(RunResult result, IReadOnlyList<(string File, string Caption)>? figures = null)
    {
        var spec = result.Spec;
        var lq = RunSummary.LastQuarterStart(spec.Rounds);
        var sb = new StringBuilder();
        sb.Append(Inv, $"# Run report: {spec.Name}\n\n");
        sb.Append(Inv, $"Run `{result.RunId}`, seed {spec.Seed}: {spec.Users.Count:N0} users × {spec.Rounds} rounds × {result.Rounds.Count} arms = {result.UserSteps:N0} user steps ");
        sb.Append(Inv, $"in {result.WallSeconds:F1} s ({result.UserSteps / Math.Max(result.WallSeconds, 1e-9):N0} steps/s). ");
        sb.Append(Inv, $"Catalog of {spec.Catalog.Items} items, slates of {spec.SlateSize}, aggregation `{spec.Coordinator.Aggregation}`.\n\n");
        void Table(string title, int from)
        {
            sb.Append(Inv, $"## {title}\n\n| arm | ctr | expectedCtr | regret | ndcg | coverage | diversity | engagement |\n|---|---:|---:|---:|---:|---:|---:|---:|\n");
            foreach (var (arm, rounds) in result.Rounds)
            {
                var m = RunSummary.Compute(rounds, spec.Catalog.Items, from);
                sb.Append(Inv, $"| {arm} | {m.Ctr:F4} | {m.ExpectedCtr:F4} | {m.Regret:F4} | {m.Ndcg:F3} | {m.Coverage:F3} | {m.Diversity:F3} | {m.Engagement:F3} |\n");
            }
            sb.Append('\n');
        }
        Table("All rounds", 0);
        Table($"Last quarter (rounds {lq}–{spec.Rounds - 1})", lq);
        sb.Append(GapTable.Markdown(result));
        if (figures is { Count: > 0 })
        {
            sb.Append("## Figures\n\n");
            foreach (var (file, caption) in figures) sb.Append(Inv, $"![{caption}]({file})\n\n");
        }
        if (spec.EventList.Length > 0) EventsMarkdown(result, sb);
        var weights = RunSummary.FinalWeights(result);
        if (spec.Agents.Length > 0)
        {
            sb.Append("## Agents\n\n| agent | kind | final weight in the ensemble |\n|---|---|---:|\n");
            foreach (var a in spec.Agents)
                sb.Append(Inv, $"| {a.Id} | {a.Kind} | {(weights.TryGetValue(a.Id, out var w) ? w.ToString("F3", Inv) : "–")} |\n");
            sb.Append('\n');
        }
        var t = result.Training;
        sb.Append(Inv, $"## Training\n\nDevice `{t.Device}`: {t.Updates:N0} gradient steps over {t.Samples:N0} logged slates in {t.TrainingSeconds:F2} s; last loss {t.LastLoss:G4}.\n\n");
        sb.Append("## Definitions\n\n");
        sb.Append("- `ctr`: clicks / slates shown. `expectedCtr`: mean exact click probability of the shown slates under the users' true choice model.\n");
        sb.Append("- `regret`: mean (oracle slate's click probability − shown slate's). `ndcg`: DCG of the shown slate against the true-utility order.\n");
        sb.Append("- `coverage`: share of the catalog ever shown. `diversity`: mean pairwise (1 − cosine) of item embeddings within a slate. `engagement`: mean engagement per slate (0 without a click).\n");
        sb.Append("- Every arm serves the same users with the same random streams (common random numbers). Per-round figures: `metrics.csv`; agent weights: `agent-weights.csv`.\n");
        return sb.ToString();
    }
}
