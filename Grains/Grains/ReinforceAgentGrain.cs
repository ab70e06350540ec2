using MultiAgentRec.Agents;
using MultiAgentRec.Contracts;
using MultiAgentRec.Hosting;

namespace MultiAgentRec.Grains;

/// <summary>
/// REINFORCE agent: holds the current versioned snapshot of its policy (initialised from the run's
/// seed, then whatever the trainer pushes) and hands it to the shards, which score their users with it
/// in plain code. Its experience goes from the shards straight to the trainer grain.
/// </summary>
public sealed class ReinforceAgentGrain(WorldCache worlds) : Grain, IReinforceAgentGrain
{
    private PolicySnapshot _snapshot = null!;
    private FreshStateGuard _guard = null!;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var (world, spec, _, _) = await AgentGrains.Load(worlds, this.GetPrimaryKeyString());
        using var network = ReinforcePolicyNetwork.Create(world, spec);
        _snapshot = network.Snapshot(0);
        _guard = new FreshStateGuard($"agent '{this.GetPrimaryKeyString()}'", AgentGrains.FirstRound(world, this.GetPrimaryKeyString()));
    }

    public Task<AgentModel> GetModel(int round)
    {
        _guard.Check(round);
        return Task.FromResult(new AgentModel(round, _snapshot.Version, null, _snapshot));
    }

    /// <summary>Policy-gradient agents learn through the trainer; bandit feedback is not for them.</summary>
    public Task Observe(SegmentClickFeedback feedback) => Task.CompletedTask;

    public Task SetPolicy(PolicySnapshot snapshot)
    {
        if (snapshot.Version > _snapshot.Version) _snapshot = snapshot;
        return Task.CompletedTask;
    }

    public Task<int> GetPolicyVersion() => Task.FromResult(_snapshot.Version);
}
