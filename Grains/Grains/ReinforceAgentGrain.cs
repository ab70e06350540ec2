using MultiAgentRec.Agents;
using MultiAgentRec.Contracts;
using MultiAgentRec.Hosting;
using MultiAgentRec.Training;

namespace MultiAgentRec.Grains;

/// <summary>
/// REINFORCE agent: holds the current versioned snapshot of its policy (initialised from the run's
/// seed, from its warm start, or from the trainer's checkpoint when the run resumes; then whatever the
/// trainer pushes) and hands it to the shards, which score their users with it in plain code. The
/// snapshot is grain state, so the agent survives a deactivation with the policy it had. Its
/// experience goes from the shards straight to the trainer grain.
/// </summary>
public sealed class ReinforceAgentGrain(WorldCache worlds, [PersistentState("policy")] IPersistentState<ReinforceAgentState> state)
    : Grain, IReinforceAgentGrain
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
        var trainer = world.Spec.Trainer;
        TorchRuntime.UseLibtorch(trainer.Libtorch);
        var (_, arm, _) = GrainKeys.Parse(key);
        _snapshot = TrainerCheckpoints.ResumedSnapshot(world, spec, arm) ?? Initial(world, spec);
        _guard = new FreshStateGuard($"agent '{key}'", AgentGrains.FirstRound(world, key));
    }

    private static PolicySnapshot Initial(Simulation.World world, AgentSpec spec)
    {
        using var network = ReinforcePolicyNetwork.Create(world, spec);
        return network.Snapshot(0);
    }

    public Task<AgentModel> GetModel(int round)
    {
        _guard?.Check(round);
        return Task.FromResult(new AgentModel(round, _snapshot.Version, null, _snapshot));
    }

    /// <summary>Policy-gradient agents learn through the trainer; bandit feedback is not for them.</summary>
    public Task Observe(SegmentClickFeedback feedback) => Task.CompletedTask;

    public async Task SetPolicy(PolicySnapshot snapshot)
    {
        if (snapshot.Version <= _snapshot.Version) return;
        _snapshot = snapshot;
        state.State.Snapshot = snapshot;
        await state.WriteStateAsync();
    }

    public Task<int> GetPolicyVersion() => Task.FromResult(_snapshot.Version);
}
