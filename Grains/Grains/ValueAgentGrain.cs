using MultiAgentRec.Agents;
using MultiAgentRec.Contracts;
using MultiAgentRec.Hosting;
using MultiAgentRec.Training;

namespace MultiAgentRec.Grains;

/// <summary>
/// A DQN or SlateQ agent: holds the current versioned snapshot of its networks (initialised from the
/// run's seed, then whatever the trainer pushes) and hands it to the shards, which score their users
/// with it in plain code (<see cref="ValueScorer"/>). Its experience goes from the shards straight to
/// the trainer grain. Every pushed snapshot is written to grain state, so a reactivated agent
/// proposes exactly what it proposed before; only an agent that never received one starts afresh,
/// and then only at round 0.
/// </summary>
public sealed class ValueAgentGrain(WorldCache worlds, [PersistentState("value-agent")] IPersistentState<ValueAgentState> state)
    : Grain, IValueAgentGrain
{
    private PolicySnapshot _snapshot = null!;
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
        // A resumed run starts where the checkpointed learner stopped, as REINFORCE agents do.
        _snapshot = TrainerCheckpoints.ResumedSnapshot(world, spec, arm) ?? ValueNetworks.Initial(world, spec);
        // An agent added by an event starts later than round 0 (as REINFORCE's and the bandits' do).
        _guard = new FreshStateGuard($"agent '{key}'", AgentGrains.FirstRound(world, key));
    }

    public Task<AgentModel> GetModel(int round)
    {
        _guard?.Check(round);
        return Task.FromResult(new AgentModel(round, _snapshot.Version, null, _snapshot));
    }

    /// <summary>Value-based agents learn through the trainer; bandit feedback is not for them.</summary>
    public Task Observe(SegmentClickFeedback feedback) => Task.CompletedTask;

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
