using MultiAgentRec.Agents;
using MultiAgentRec.Contracts;
using MultiAgentRec.Hosting;

namespace MultiAgentRec.Grains;

/// <summary>
/// A bandit agent grain: the one owner of its click statistics. It builds its policy on activation
/// from the run's world and its spec, folds in every shard's feedback, and hands out one model per
/// round; shards propose from per-silo copies of that model (see <see cref="ProposerCache"/>), so
/// this grain sees 1 call per silo and per shard per round, none per user.
/// </summary>
public abstract class BanditAgentGrain(WorldCache worlds) : Grain
{
    private BanditPolicy _policy = null!;
    private FreshStateGuard _guard = null!;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var (world, spec, _, streamKey) = await AgentGrains.Load(worlds, this.GetPrimaryKeyString());
        _policy = CandidateProposers.BanditPolicyFor(world, spec, streamKey);
        _guard = new FreshStateGuard($"agent '{this.GetPrimaryKeyString()}'", AgentGrains.FirstRound(world, this.GetPrimaryKeyString()));
    }

    public Task<AgentModel> GetModel(int round)
    {
        _guard.Check(round);
        return Task.FromResult(new AgentModel(round, round, _policy.ModelFor(round), null));
    }

    public Task Observe(SegmentClickFeedback feedback)
    {
        _guard.Check(feedback.Round);
        _policy.Observe(feedback);
        return Task.CompletedTask;
    }
}
