using MultiAgentRec.Agents;
using MultiAgentRec.Contracts;
using MultiAgentRec.Hosting;
using MultiAgentRec.Simulation;

namespace MultiAgentRec.Grains;

/// <summary>
/// A bandit agent grain: the one owner of its click statistics. It builds its policy on activation
/// from the run's world and its spec, folds in every shard's feedback, and hands out one model per
/// round; shards propose from per-silo copies of that model (see <see cref="ProposerCache"/>), so
/// this grain sees 1 call per silo and per shard per round, none per user. What it learned survives
/// deactivation: the state is written once per round when the round's model is built (counts and
/// estimates, bounded by segments × catalog × slate size), and with the feedback still held when
/// Orleans deactivates the grain. A reactivated grain restores it and hands out the same models.
/// </summary>
public abstract class BanditAgentGrain(WorldCache worlds, IPersistentState<BanditPolicyState> state) : Grain
{
    private BanditPolicy _policy = null!;
    private Func<int, int> _shardsFeeding = null!;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var (world, spec, _, streamKey) = await AgentGrains.Load(worlds, this.GetPrimaryKeyString());
        _policy = CandidateProposers.BanditPolicyFor(world, spec, streamKey);
        var (_, arm, _) = GrainKeys.Parse(this.GetPrimaryKeyString());
        _shardsFeeding = ShardLayout.FeedingAgent(world.Spec, arm, spec.Id);
        if (state.RecordExists) _policy.Restore(state.State);
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // The feedback of the round just played is not in the last per-round write. A silo shutting
        // down ends its runs (shards hold their users in memory), and storage may already be gone.
        if (reason.ReasonCode == DeactivationReasonCode.ShuttingDown || _policy.PendingCount == 0) return;
        state.State = _policy.Save();
        await state.WriteStateAsync(cancellationToken);
    }

    public async Task<AgentModel> GetModel(int round)
    {
        var advancing = round > _policy.ModelRound;
        if (advancing) CheckNothingLost(round);
        var model = _policy.ModelFor(round);
        if (advancing)
        {
            state.State = _policy.Save();
            await state.WriteStateAsync();
        }
        return new AgentModel(round, round, model, null);
    }

    public Task Observe(SegmentClickFeedback feedback)
    {
        if (feedback.Round < _policy.ModelRound)
            throw new InvalidOperationException($"agent '{this.GetPrimaryKeyString()}' got feedback of round {feedback.Round} after building the model of round {_policy.ModelRound}");
        _policy.Observe(feedback);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Every shard playing a round sends feedback to every agent present in it, so the model of a
    /// round after one the agent played in needs all of that round's (an agent absent from the
    /// previous round, see <see cref="AgentSchedule"/>, expects none). Fewer means this grain lost state (its silo was lost between writes):
    /// going on would silently learn from part of a round, so the run stops with a clear error.
    /// </summary>
    private void CheckNothingLost(int round)
    {
        var previous = round - 1;
        var shards = previous < 0 ? 0 : _shardsFeeding(previous);
        if (shards == 0) return;
        var held = _policy.PendingOf(previous);
        if (_policy.ModelRound != previous || held != shards)
            throw new InvalidOperationException(
                $"agent '{this.GetPrimaryKeyString()}' was asked for round {round} but holds the model of round {_policy.ModelRound} and {held} of {shards} shards' feedback of round {previous}: it lost learned state (was its silo lost?); the run cannot go on consistently, start it again");
    }
}
