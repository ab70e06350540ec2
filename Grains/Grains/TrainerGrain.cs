using System.Diagnostics;
using Microsoft.Extensions.Logging;
using MultiAgentRec.Arms;
using MultiAgentRec.Contracts;
using MultiAgentRec.Hosting;
using MultiAgentRec.Training;
using TorchSharp;

namespace MultiAgentRec.Grains;

/// <summary>
/// Trains the policy-gradient agents of a run on the configured device (CUDA under "auto" when
/// there is one): agents submit their experience, a coordinator asks for the update after each
/// round, and the trainer pushes each agent's new parameters back to it. The REINFORCE agents of an
/// arm that share an architecture are one <see cref="ReinforceLearnerGroup"/>: a single batched step
/// updates them all. With <c>trainer.checkpoint</c> every updated learner is saved after its update,
/// and with <c>trainer.resume</c> learners start from those files.
/// </summary>
public sealed partial class TrainerGrain(WorldCache worlds, ILogger<TrainerGrain> logger) : Grain, ITrainerGrain
{
    private readonly Dictionary<string, ReinforceLearnerGroup[]> _groupsByArm = [];
    private readonly Dictionary<string, (ReinforceLearnerGroup Group, int Member)> _learners = [];
    private torch.Device? _device;
    private TrainerSpec _spec = null!;
    private long _updates, _samples;
    private double _seconds, _lastLoss = double.NaN;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var world = await worlds.Get(this.GetPrimaryKeyString());
        _spec = world.Spec.Trainer;
        TorchRuntime.UseLibtorch(_spec.Libtorch);
        TorchRuntime.ConfigureThreads(_spec.Threads);
        _device = TorchRuntime.ResolveDevice(_spec.Device);
        LogDevice(this.GetPrimaryKeyString(), _device.ToString());
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        foreach (var group in _groupsByArm.Values.SelectMany(g => g)) group.Dispose();
        _groupsByArm.Clear();
        _learners.Clear();
        return Task.CompletedTask;
    }

    public async Task Submit(string agentKey, TrajectoryBatch batch)
    {
        if (!_learners.TryGetValue(agentKey, out var learner))
        {
            new FreshStateGuard($"the trainer's learner for '{agentKey}'").Check(batch.Round);
            var (runId, arm, agentId) = GrainKeys.Parse(agentKey);
            if (_groupsByArm.ContainsKey(arm) || !await AddArm(runId, arm))
                throw new InvalidOperationException($"agent '{agentId}' is not a policy-gradient agent of arm '{arm}'");
            learner = _learners[agentKey];
        }
        learner.Group.Add(learner.Member, batch);
    }

    /// <summary>Builds the learner groups of an arm (every policy-gradient agent of it, resumed from a checkpoint when asked to); false when it has none.</summary>
    private async Task<bool> AddArm(string runId, string arm)
    {
        var world = await worlds.Get(runId);
        var agents = ArmAgents.Of(world.Spec, arm);
        var (groups, learnerOf) = TrainerGroups.Build(world, agents, _device!);
        _groupsByArm[arm] = groups;
        for (var a = 0; a < agents.Length; a++)
        {
            if (learnerOf[a] is not { } at) continue;
            var learner = (groups[at.Group], at.Member);
            _learners[GrainKeys.Agent(runId, arm, agents[a].Id)] = learner;
            if (_spec is { Resume: true, Checkpoint: { } folder } && File.Exists(TrainerCheckpoints.PathFor(folder, arm, agents[a].Id)))
                groups[at.Group].LoadCheckpoint(at.Member, TrainerCheckpoints.PathFor(folder, arm, agents[a].Id));
        }
        return learnerOf.Any(l => l is not null);
    }

    public async Task<TrainingReport> Train(string[] agentKeys)
    {
        // One batched update per group that holds any of the listed agents, in the order they are listed.
        var groups = agentKeys.Where(_learners.ContainsKey).Select(k => _learners[k].Group).Distinct().ToArray();
        foreach (var group in groups)
        {
            var started = Stopwatch.GetTimestamp();
            var updates = group.Update(_spec.Epochs, _spec.MinibatchSize);
            var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
            _seconds += elapsed;
            var pushes = new List<Task>();
            foreach (var key in agentKeys)
            {
                if (!_learners.TryGetValue(key, out var learner) || learner.Group != group) continue;
                var (steps, samples, loss) = updates[learner.Member];
                if (samples == 0) continue;
                _updates += steps;
                _samples += samples;
                _lastLoss = loss;
                // Agent keys are "run/arm/agent" (GrainKeys.Agent): label them like the weight and reward series.
                var (runId, arm, agentId) = GrainKeys.Parse(key);
                var tags = Telemetry.AgentTags(runId, arm, agentId);
                Telemetry.TrainingUpdates.Add(steps, tags);
                Telemetry.TrainingLoss.Record(loss, tags);
                Telemetry.TrainingUpdateDuration.Record(elapsed, tags);
                if (_spec.Checkpoint is { } folder) group.SaveCheckpoint(learner.Member, TrainerCheckpoints.PathFor(folder, arm, agentId));
                pushes.Add(GrainFactory.GetGrain<IReinforceAgentGrain>(key).SetPolicy(group.Snapshot(learner.Member)));
            }
            await Task.WhenAll(pushes);
        }
        return Report();
    }

    public Task<TrainingReport> GetReport() => Task.FromResult(Report());

    private TrainingReport Report() => new(_device?.type.ToString().ToLowerInvariant() ?? "none", _updates, _samples, _seconds, _lastLoss);

    [LoggerMessage(Level = LogLevel.Information, Message = "Trainer for run {RunId} uses device {Device}")]
    private partial void LogDevice(string runId, string device);
}
