using System.Diagnostics.Metrics;

namespace MultiAgentRec.Hosting;

/// <summary>
/// The MultiAgentRec meter. Prometheus names follow OpenTelemetry's translation: dots become
/// underscores, counters get "_total", units are appended (e.g. multiagentrec_training_update_duration_seconds).
/// </summary>
public static class Telemetry
{
    public const string MeterName = "MultiAgentRec";
    public const string OrleansMeterName = "Microsoft.Orleans";

    private static readonly Meter s_meter = new(MeterName, "1.0");

    public static readonly Counter<long> Recommendations = s_meter.CreateCounter<long>("multiagentrec.recommendations", "{slate}", "Slates shown to users, per arm.");
    public static readonly Counter<long> Clicks = s_meter.CreateCounter<long>("multiagentrec.clicks", "{click}", "Clicks on shown slates, per arm.");
    public static readonly Counter<double> AgentReward = s_meter.CreateCounter<double>("multiagentrec.agent.reward", "{click}", "Clicks credited to an agent (the clicked item was in its own top-k), per arm and agent.");
    public static readonly Gauge<double> AgentWeight = s_meter.CreateGauge<double>("multiagentrec.agent.weight", null, "An agent's weight in its coordinator's aggregation, per arm and agent.");
    public static readonly Counter<long> TrainingUpdates = s_meter.CreateCounter<long>("multiagentrec.training.updates", "{step}", "Gradient steps run by the trainer, per agent.");
    public static readonly Gauge<double> TrainingLoss = s_meter.CreateGauge<double>("multiagentrec.training.loss", null, "Mean policy-gradient loss of the last update pass, per agent.");
    public static readonly Histogram<double> TrainingUpdateDuration = s_meter.CreateHistogram<double>("multiagentrec.training.update.duration", "s", "Wall time of one trainer update call, per agent.");
    public static readonly Histogram<double> StepDuration = s_meter.CreateHistogram<double>("multiagentrec.user.step.duration", "s", "Time a user grain spends on one step (utilities, choice, state update).");
    public static readonly Histogram<double> RoundDuration = s_meter.CreateHistogram<double>("multiagentrec.round.duration", "s", "Wall time of one coordinator round, per arm.");
    public static readonly UpDownCounter<long> ActiveUsers = s_meter.CreateUpDownCounter<long>("multiagentrec.users.active", "{user}", "User grains currently activated.");
}
