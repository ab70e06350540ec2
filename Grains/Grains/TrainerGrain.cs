using Microsoft.Extensions.Logging;
using MultiAgentRec.Arms;
using MultiAgentRec.Contracts;
using MultiAgentRec.Hosting;
using MultiAgentRec.Training;
using TorchSharp;

namespace MultiAgentRec.Grains;

/// <summary>
/// Trains the policy-gradient and value-based agents of a run (one <see cref="ITrainerLearner"/> per agent) on the configured device (CUDA under "auto" when
/// there is one): agents submit their experience, a coordinator asks for the update after each
/// round, and the trainer pushes each agent's new parameters back to it. The REINFORCE agents of an
/// arm that share an architecture are one <see cref="ReinforceLearnerGroup"/>: a single batched step
/// updates them all. With <c>trainer.checkpoint</c> every updated learner is saved after its update,
/// and with <c>trainer.resume</c> learners start from those files. With <c>trainer.overlap</c> a
/// coordinator starts an arm's update (<see cref="StartUpdate"/>) and collects it at its next training
/// point (<see cref="FinishUpdate"/>): the update runs on pool threads on experience it took when it
/// started (<see cref="ReinforceLearnerGroup.TakePending"/>; a value learner's new experience waits in
/// its <see cref="OverlappingLearner"/>), while this grain goes on accepting the next rounds' <see cref="Submit"/> calls.
/// </summary>
public sealed partial class TrainerGrain(WorldCache worlds, ILogger<TrainerGrain> logger) : Grain, ITrainerGrain
{
    private readonly Dictionary<string, ReinforceLearnerGroup[]> _groupsByArm = [];
    private readonly Dictionary<string, (ReinforceLearnerGroup Group, int Member)> _learners = [];
    private readonly Dictionary<string, OverlappingLearner> _ownLearners = [];
    // trainer.overlap: each arm's REINFORCE update that runs while the arm's next rounds play, with the keys it was started for
    // (the arm's value learners each hold their own running update).
    private readonly Dictionary<string, (string[] Keys, Task<GroupUpdate[]> Update)> _running = [];
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

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // A background update still uses its group's networks: let it end before they are freed (its
        // result is lost with the learners, as an unfinished run's would be).
        foreach (var (_, update) in _running.Values)
        {
            try { await update; }
            catch (Exception e) { LogLostUpdate(e, this.GetPrimaryKeyString()); }
        }
        _running.Clear();
        foreach (var group in _groupsByArm.Values.SelectMany(g => g)) group.Dispose();
        foreach (var learner in _ownLearners.Values) learner.Dispose();
        _groupsByArm.Clear();
        _learners.Clear();
        _ownLearners.Clear();
    }

    public async Task Submit(string agentKey, TrajectoryBatch batch)
    {
        if (_learners.TryGetValue(agentKey, out var member))
        {
            member.Group.Add(member.Member, batch);
            return;
        }
        if (_ownLearners.TryGetValue(agentKey, out var own))
        {
            own.Add(batch);
            return;
        }
        var (runId, arm, agentId) = GrainKeys.Parse(agentKey);
        var world = await worlds.Get(runId);
        new FreshStateGuard($"the trainer's learner for '{agentKey}'", AgentGrains.FirstRound(world, agentKey)).Check(batch.Round);
        var agent = world.Spec.Agents.FirstOrDefault(a => a.Id == agentId)
            ?? throw new InvalidOperationException($"agent '{agentId}' is not in scenario '{world.Spec.Name}'");
        if (agent.Kind == Names.Reinforce)
        {
            // REINFORCE agents of an arm stack by architecture: the whole arm's groups are built at once.
            if (_groupsByArm.ContainsKey(arm) || !AddArm(world, runId, arm) || !_learners.TryGetValue(agentKey, out member))
                throw new InvalidOperationException($"agent '{agentId}' is not a policy-gradient agent of arm '{arm}'");
            member.Group.Add(member.Member, batch);
            return;
        }
        // Other trained kinds (DQN, SlateQ) bring learners of their own.
        _ownLearners[agentKey] = own = new OverlappingLearner(TrainerLearners.Create(world, agent, _device!, Agents.CandidateProposers.StreamKey(arm, agentId)));
        if (TrainerCheckpoints.ToResume(_spec, arm, agentId) is { } resumeFrom) own.ResumeFrom(resumeFrom);
        own.Add(batch);
    }

    /// <summary>Builds the learner groups of an arm (every REINFORCE agent of it, resumed from a checkpoint when asked to); false when it has none.</summary>
    private bool AddArm(Simulation.World world, string runId, string arm)
    {
        var agents = ArmAgents.Of(world.Spec, arm);
        var (groups, learnerOf) = TrainerGroups.Build(world, agents, _device!);
        _groupsByArm[arm] = groups;
        for (var a = 0; a < agents.Length; a++)
        {
            if (learnerOf[a] is not { } at) continue;
            var learner = (groups[at.Group], at.Member);
            _learners[GrainKeys.Agent(runId, arm, agents[a].Id)] = learner;
            if (TrainerCheckpoints.ToResume(_spec, arm, agents[a].Id) is { } resumeFrom) groups[at.Group].LoadCheckpoint(at.Member, resumeFrom);
        }
        return learnerOf.Any(l => l is not null);
    }

    public async Task<TrainingReport> Train(string[] agentKeys)
    {
        // Whatever an overlapping coordinator left running for these agents comes first (a no-op otherwise).
        await FinishUpdate(agentKeys);
        await Publish(agentKeys, GroupUpdates.Run(GroupsOf(agentKeys), _spec.Epochs, _spec.MinibatchSize));
        await TrainOwnLearners(agentKeys);
        return Report();
    }

    public Task StartUpdate(string[] agentKeys)
    {
        var arm = ArmOf(agentKeys);
        if (_running.ContainsKey(arm))
            throw new InvalidOperationException($"an update of arm '{arm}' is still running; FinishUpdate it before starting the next");
        _running[arm] = (agentKeys, GroupUpdates.Start(GroupsOf(agentKeys), _spec.Epochs, _spec.MinibatchSize));
        // Value learners (DQN, SlateQ) update on their own pool threads; experience submitted meanwhile waits in them.
        foreach (var key in agentKeys)
            if (_ownLearners.TryGetValue(key, out var learner) && learner.PendingRows > 0) learner.Start(_spec.Epochs, _spec.MinibatchSize);
        return Task.CompletedTask;
    }

    public async Task<TrainingReport> FinishUpdate(string[] agentKeys)
    {
        if (!_running.Remove(ArmOf(agentKeys), out var running)) return Report();
        await Publish(running.Keys, await running.Update);
        foreach (var key in running.Keys)
        {
            if (!_ownLearners.TryGetValue(key, out var learner) || !learner.IsUpdating) continue;
            await learner.Running;
            var (steps, samples, loss, seconds) = learner.Collect()!.Value;
            await PublishOwn(key, learner, steps, samples, loss, seconds);
        }
        return Report();
    }

    /// <summary>An arm's key for its running update: every key a coordinator sends is "{runId}/{arm}/{agentId}" of its arm.</summary>
    private static string ArmOf(string[] agentKeys) => agentKeys.Length == 0 ? "" : GrainKeys.Parse(agentKeys[0]).Arm;

    /// <summary>The learner groups that hold any of the listed agents, in the order the agents are listed.</summary>
    private ReinforceLearnerGroup[] GroupsOf(string[] agentKeys) =>
        [.. agentKeys.Where(_learners.ContainsKey).Select(k => _learners[k].Group).Distinct()];

    /// <summary>Counts the groups' updates, checkpoints their members and pushes each updated member's snapshot to its agent.</summary>
    private async Task Publish(string[] agentKeys, GroupUpdate[] updates)
    {
        foreach (var (group, members, elapsed) in updates)
        {
            _seconds += elapsed;
            var pushes = new List<Task>();
            foreach (var key in agentKeys)
            {
                if (!_learners.TryGetValue(key, out var learner) || learner.Group != group) continue;
                var (steps, samples, loss) = members[learner.Member];
                if (samples == 0) continue;
                var (_, arm, agentId) = GrainKeys.Parse(key);
                Record(key, steps, samples, loss, elapsed);
                if (_spec.Checkpoint is { } folder) group.SaveCheckpoint(learner.Member, TrainerCheckpoints.PathFor(folder, arm, agentId));
                pushes.Add(GrainFactory.GetGrain<IReinforceAgentGrain>(key).SetPolicy(group.Snapshot(learner.Member)));
            }
            await Task.WhenAll(pushes);
        }
    }

    private async Task TrainOwnLearners(string[] agentKeys)
    {
        foreach (var key in agentKeys)
        {
            if (!_ownLearners.TryGetValue(key, out var learner) || learner.PendingRows == 0) continue;
            var (steps, samples, loss, seconds) = learner.UpdateTimed(_spec.Epochs, _spec.MinibatchSize);
            await PublishOwn(key, learner, steps, samples, loss, seconds);
        }
    }

    /// <summary>Counts a value learner's update, checkpoints it and pushes its snapshot to its agent.</summary>
    private async Task PublishOwn(string key, OverlappingLearner learner, int steps, int samples, double loss, double elapsed)
    {
        _seconds += elapsed;
        Record(key, steps, samples, loss, elapsed);
        if (_spec.Checkpoint is { } folder)
        {
            var (_, arm, agentId) = GrainKeys.Parse(key);
            learner.SaveCheckpoint(TrainerCheckpoints.PathFor(folder, arm, agentId));
        }
        await AgentGrains.SetPolicy(GrainFactory, learner.Kind, key, learner.Snapshot());
    }

    /// <summary>Counts one agent's update and labels its metrics like the weight and reward series (agent keys are "run/arm/agent").</summary>
    private void Record(string key, int steps, int samples, double loss, double elapsed)
    {
        _updates += steps;
        _samples += samples;
        // A value learner's first update only stores transitions (no next state yet): no steps, no loss to record.
        if (double.IsFinite(loss)) _lastLoss = loss;
        var (runId, arm, agentId) = GrainKeys.Parse(key);
        var tags = Telemetry.AgentTags(runId, arm, agentId);
        Telemetry.TrainingUpdates.Add(steps, tags);
        if (double.IsFinite(loss)) Telemetry.TrainingLoss.Record(loss, tags);
        Telemetry.TrainingUpdateDuration.Record(elapsed, tags);
    }

    public Task<TrainingReport> GetReport() => Task.FromResult(Report());

    private TrainingReport Report() => new(_device?.type.ToString().ToLowerInvariant() ?? "none", _updates, _samples, _seconds, _lastLoss);

    [LoggerMessage(Level = LogLevel.Information, Message = "Trainer for run {RunId} uses device {Device}")]
    private partial void LogDevice(string runId, string device);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Trainer for run {RunId} was deactivated while an overlapping update failed")]
    private partial void LogLostUpdate(Exception exception, string runId);
}
