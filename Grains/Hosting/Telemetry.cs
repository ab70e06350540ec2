using System.Diagnostics;
using System.Diagnostics.Metrics;
using OpenTelemetry.Metrics;

namespace MultiAgentRec.Hosting;

/// <summary>
/// The MultiAgentRec meter. Prometheus names follow OpenTelemetry's translation: dots become
/// underscores, counters get "_total", units are appended (e.g. multiagentrec_training_update_duration_seconds).
/// Labels: every run-scoped series carries <c>run</c> and <c>arm</c> (<see cref="RunArmTags"/>), every
/// per-agent series also <c>agent</c> (<see cref="AgentTags"/>); the silo is the scrape target's
/// <c>instance</c>, and target_info says which service and silo instance it is.
/// </summary>
public static class Telemetry
{
    public const string MeterName = "MultiAgentRec";
    public const string OrleansMeterName = "Microsoft.Orleans";

    private static readonly Meter s_meter = new(MeterName, "1.0");

    public static readonly Counter<long> Recommendations = s_meter.CreateCounter<long>("multiagentrec.recommendations", "{slate}", "Slates shown to users, per run and arm.");
    public static readonly Counter<long> Clicks = s_meter.CreateCounter<long>("multiagentrec.clicks", "{click}", "Clicks on shown slates, per run and arm.");
    public static readonly Counter<double> ExpectedClicks = s_meter.CreateCounter<double>("multiagentrec.expected.clicks", "{click}", "Sum of the exact click probabilities of shown slates, per run and arm: expected CTR = this / recommendations, far less noisy than clicks.");
    public static readonly Counter<double> AgentReward = s_meter.CreateCounter<double>("multiagentrec.agent.reward", "{click}", "Clicks credited to an agent (the clicked item was in its own top-k), per run, arm and agent.");
    public static readonly Gauge<double> AgentWeight = s_meter.CreateGauge<double>("multiagentrec.agent.weight", null, "An agent's weight in its coordinator's aggregation, per run, arm and agent.");
    public static readonly Counter<long> TrainingUpdates = s_meter.CreateCounter<long>("multiagentrec.training.updates", "{step}", "Gradient steps run by the trainer, per run, arm and agent.");
    public static readonly Gauge<double> TrainingLoss = s_meter.CreateGauge<double>("multiagentrec.training.loss", null, "Mean policy-gradient loss of the last update pass, per run, arm and agent.");
    public static readonly Histogram<double> TrainingUpdateDuration = s_meter.CreateHistogram<double>("multiagentrec.training.update.duration", "s", "Wall time of one trainer update call, per run, arm and agent.");
    public static readonly Counter<long> UserSteps = s_meter.CreateCounter<long>("multiagentrec.user.steps", "{step}", "User steps done on this silo, per run and arm.");

    /// <summary>Times a user step and counts it: one call feeds both the duration histogram and <see cref="UserSteps"/>.</summary>
    public static readonly UserStepMeter StepDuration = new(
        s_meter.CreateHistogram<double>("multiagentrec.user.step.duration", "s", "Time a user grain spends on one step (utilities, choice, state update), per run and arm."),
        UserSteps);

    public static readonly Histogram<double> RoundDuration = s_meter.CreateHistogram<double>("multiagentrec.round.duration", "s", "Wall time of one coordinator round, per run and arm.");
    public static readonly UpDownCounter<long> ActiveUsers = s_meter.CreateUpDownCounter<long>("multiagentrec.users.active", "{user}", "User grains currently activated.");

    /// <summary>
    /// Bucket bounds in seconds fitted to each duration. OpenTelemetry's default bounds (0 … 10,000)
    /// are meant for milliseconds: every observation in seconds would land in one bucket and
    /// histogram_quantile would say nothing. A user step takes microseconds to a few milliseconds;
    /// a round and a training update take milliseconds to seconds (minutes at most under load).
    /// </summary>
    public static readonly double[] UserStepBuckets = [1e-6, 2.5e-6, 5e-6, 1e-5, 2.5e-5, 5e-5, 1e-4, 2.5e-4, 5e-4, 1e-3, 2.5e-3, 1e-2, 0.1];

    /// <inheritdoc cref="UserStepBuckets"/>
    public static readonly double[] RoundBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

    /// <summary>Applies <see cref="UserStepBuckets"/> and <see cref="RoundBuckets"/> to the duration histograms.</summary>
    public static MeterProviderBuilder AddMultiAgentRecBuckets(this MeterProviderBuilder metrics) => metrics
        .AddView("multiagentrec.user.step.duration", new ExplicitBucketHistogramConfiguration { Boundaries = UserStepBuckets })
        .AddView(RoundDuration.Name, new ExplicitBucketHistogramConfiguration { Boundaries = RoundBuckets })
        .AddView(TrainingUpdateDuration.Name, new ExplicitBucketHistogramConfiguration { Boundaries = RoundBuckets });

    /// <summary>Labels of a run-scoped series: which run (two runs on one silo stay apart) and which arm.</summary>
    public static TagList RunArmTags(string runId, string arm) => new() { { "run", runId }, { "arm", arm } };

    /// <summary>Labels of a per-agent series: run, arm and the agent's id, always as separate labels.</summary>
    public static TagList AgentTags(string runId, string arm, string agent) => new() { { "run", runId }, { "arm", arm }, { "agent", agent } };
}
