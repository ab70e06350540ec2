using MultiAgentRec.Contracts;
using MultiAgentRec.Hosting;
using MultiAgentRec.Simulation;
using MultiAgentRec.Training;

namespace MultiAgentRec.Grains;

/// <summary>
/// An agent the trainer grain trains (REINFORCE, DQN, SlateQ): holds the current versioned snapshot of
/// its parameters and hands it to the shards, which score their users with it in plain code; its
/// experience goes from the shards straight to the trainer grain. The snapshot starts from the
/// trainer's checkpoint when the run resumes, else from the kind's <see cref="Initial"/> parameters;
/// then it is whatever the trainer pushes. Every pushed snapshot is written to grain state, so a
/// reactivated agent proposes exactly what it proposed before; only an agent that never received one
/// starts afresh, and then only at its first round (0, or later for one added by an event).
/// </summary>
public abstract class TrainedAgentGrain<TState>(WorldCache worlds, IPersistentState<TState> state) : Grain
    where TState : ITrainedAgentState
{
    private PolicySnapshot _snapshot = null!;
    // Set only while the agent holds parameters it built itself rather than ones it was given.
    private FreshStateGuard? _guard;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.Snapshot is { } stored)
        {
            _snapshot = stored;
            return;
        }
        var key = this.GetPrimaryKeyString();
        var (world, spec, _, _) = await AgentGrains.Load(worlds, key);
        TorchRuntime.UseLibtorch(world.Spec.Trainer.Libtorch);
        var (_, arm, _) = GrainKeys.Parse(key);
        _snapshot = TrainerCheckpoints.ResumedSnapshot(world, spec, arm) ?? Initial(world, spec);
        // An agent added by an event starts later than round 0 (as the bandits' do).
        _guard = new FreshStateGuard($"agent '{key}'", AgentGrains.FirstRound(world, key));
    }

    /// <summary>The parameters a fresh run starts from (version 0): the run's seed, or the agent's warm start.</summary>
    protected abstract PolicySnapshot Initial(World world, AgentSpec spec);

    public Task<AgentModel> GetModel(int round)
    {
        _guard?.Check(round);
        return Task.FromResult(new AgentModel(round, _snapshot.Version, null, _snapshot));
    }

    /// <summary>These agents learn through the trainer; bandit feedback is not for them.</summary>
    public Task Observe(SegmentClickFeedback feedback) => Task.CompletedTask;

    /// <summary>
    /// Takes a newer snapshot and stores it; older or equal versions are ignored. From then on the agent
    /// holds what the trainer gave it, as after a reactivation from stored state, so the fresh-state guard is dropped.
    /// </summary>
    public async Task SetPolicy(PolicySnapshot snapshot)
    {
        if (snapshot.Version <= _snapshot.Version) return;
        _snapshot = snapshot;
        _guard = null;
        state.State.Snapshot = snapshot;
        await state.WriteStateAsync();
    }

    public Task<int> GetPolicyVersion() => Task.FromResult(_snapshot.Version);
}
