using System.Diagnostics;
using Microsoft.Extensions.Logging;
using MultiAgentRec.Contracts;
using MultiAgentRec.Hosting;
using MultiAgentRec.Training;
using TorchSharp;

namespace MultiAgentRec.Grains;

/// <summary>
/// Trains the policy-gradient and value-based agents of a run (one <see cref="ITrainerLearner"/> per agent) on the configured device (CUDA under "auto" when
/// there is one): agents submit their experience, a coordinator asks for the update after each
/// round, and the trainer pushes each agent's new parameters back to it.
/// </summary>
public sealed partial class TrainerGrain(WorldCache worlds, ILogger<TrainerGrain> logger) : Grain, ITrainerGrain
{
    private readonly Dictionary<string, ITrainerLearner> _learners = [];
    private torch.Device? _device;
    private TrainerSpec _spec = null!;
    private long _updates, _samples;
    private double _seconds, _lastLoss = double.NaN;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var world = await worlds.Get(this.GetPrimaryKeyString());
        _spec = world.Spec.Trainer;
        TorchRuntime.ConfigureThreads(_spec.Threads);
        _device = TorchRuntime.ResolveDevice(_spec.Device);
        LogDevice(this.GetPrimaryKeyString(), _device.ToString());
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        foreach (var learner in _learners.Values) learner.Dispose();
        _learners.Clear();
        return Task.CompletedTask;
    }

    public async Task Submit(string agentKey, TrajectoryBatch batch)
    {
        if (!_learners.TryGetValue(agentKey, out var learner))
        {
            var world = await worlds.Get(this.GetPrimaryKeyString());
            new FreshStateGuard($"the trainer's learner for '{agentKey}'", AgentGrains.FirstRound(world, agentKey)).Check(batch.Round);
            var (_, arm, agentId) = GrainKeys.Parse(agentKey);
            var agent = world.Spec.Agents.FirstOrDefault(a => a.Id == agentId)
                ?? throw new InvalidOperationException($"agent '{agentId}' is not in scenario '{world.Spec.Name}'");
            _learners[agentKey] = learner = TrainerLearners.Create(world, agent, _device!, Agents.CandidateProposers.StreamKey(arm, agentId));
        }
        learner.Add(batch);
    }

    public async Task<TrainingReport> Train(string[] agentKeys)
    {
        foreach (var key in agentKeys)
        {
            if (!_learners.TryGetValue(key, out var learner) || learner.PendingRows == 0) continue;
            var started = Stopwatch.GetTimestamp();
            var (steps, samples, loss) = learner.Update(_spec.Epochs, _spec.MinibatchSize);
            var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
            _updates += steps;
            _samples += samples;
            _seconds += elapsed;
            // A value learner's first update only stores transitions (no next state yet): no steps, no loss to record.
            if (double.IsFinite(loss)) _lastLoss = loss;
            // Agent keys are "run/arm/agent" (GrainKeys.Agent): label them like the weight and reward series.
            var parts = key.Split('/', 3);
            var tags = parts.Length == 3 ? Telemetry.AgentTags(parts[0], parts[1], parts[2]) : Telemetry.AgentTags(this.GetPrimaryKeyString(), "", key);
            Telemetry.TrainingUpdates.Add(steps, tags);
            if (double.IsFinite(loss)) Telemetry.TrainingLoss.Record(loss, tags);
            Telemetry.TrainingUpdateDuration.Record(elapsed, tags);
            await AgentGrains.SetPolicy(GrainFactory, learner.Kind, key, learner.Snapshot());
        }
        return Report();
    }

    public Task<TrainingReport> GetReport() => Task.FromResult(Report());

    private TrainingReport Report() => new(_device?.type.ToString().ToLowerInvariant() ?? "none", _updates, _samples, _seconds, _lastLoss);

    [LoggerMessage(Level = LogLevel.Information, Message = "Trainer for run {RunId} uses device {Device}")]
    private partial void LogDevice(string runId, string device);
}
