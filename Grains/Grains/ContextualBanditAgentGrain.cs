using MultiAgentRec.Agents;
using MultiAgentRec.Contracts;
using MultiAgentRec.Hosting;

namespace MultiAgentRec.Grains;

/// <summary>
/// A contextual (linear) bandit agent: LinUCB, hybrid LinUCB or linear Thompson sampling, by its
/// spec's kind. The one owner of its statistics: shards send it their impressions, and it hands out
/// one model per round that shards copy per silo (see <see cref="ProposerCache"/>). Its learned state
/// survives deactivation: it is written to grain storage after each round's feedback is folded in
/// and, with the feedback not folded yet, when Orleans deactivates it; a reactivated agent builds the
/// same models. A silo lost mid-round loses that round's unfolded feedback, which the policy then
/// reports as an error instead of running on without it.
/// </summary>
public sealed class ContextualBanditAgentGrain(WorldCache worlds, [PersistentState("contextual-bandit")] IPersistentState<LinearBanditState> state)
    : Grain, IContextualBanditAgentGrain
{
    private LinearBanditPolicy _policy = null!;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var (world, spec, _, _) = await AgentGrains.Load(worlds, this.GetPrimaryKeyString());
        var (_, arm, _) = GrainKeys.Parse(this.GetPrimaryKeyString());
        _policy = new LinearBanditPolicy(world, spec, Simulation.ShardLayout.FeedingAgent(world.Spec, arm, spec.Id));
        if (!state.State.IsEmpty) _policy.Restore(state.State);
    }

    /// <summary>
    /// Stores the feedback not folded yet, so a grain collected between rounds loses nothing. Not when
    /// the silo shuts down: its storage may be gone already (the embedded silo's memory storage is),
    /// and what the last fold stored is all a finished run needs.
    /// </summary>
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (reason.ReasonCode != DeactivationReasonCode.ShuttingDown) await Save();
    }

    public async Task<AgentModel> GetModel(int round)
    {
        var folded = _policy.FoldedThrough;
        var model = _policy.ModelFor(round);
        if (_policy.FoldedThrough != folded) await Save();
        return new AgentModel(round, round, null, null, model);
    }

    public Task ObserveImpressions(TrajectoryBatch batch)
    {
        _policy.Observe(batch);
        return Task.CompletedTask;
    }

    /// <summary>Contextual bandits learn from impressions (<see cref="ObserveImpressions"/>), not per-segment counts.</summary>
    public Task Observe(SegmentClickFeedback feedback) => Task.CompletedTask;

    private async Task Save()
    {
        state.State = _policy.Export();
        await state.WriteStateAsync();
    }
}
