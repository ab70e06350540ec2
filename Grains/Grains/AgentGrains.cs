using MultiAgentRec.Agents;
using MultiAgentRec.Contracts;
using MultiAgentRec.Hosting;
using MultiAgentRec.Simulation;
using static TorchSharp.torch;

namespace MultiAgentRec.Grains;

/// <summary>Resolves an agent of a given kind to its grain.</summary>
public static class AgentGrains
{
    public static IAgentGrain Get(IGrainFactory grains, string kind, string key) => kind switch
    {
        Names.EpsilonGreedy => grains.GetGrain<IEpsilonGreedyAgentGrain>(key),
        Names.Thompson => grains.GetGrain<IThompsonSamplingAgentGrain>(key),
        Names.Reinforce => grains.GetGrain<IReinforceAgentGrain>(key),
        _ => throw new ArgumentException($"unknown agent kind '{kind}'", nameof(kind)),
    };

    /// <summary>
    /// An agent's random stream key: its arm and id, never the run id, so that a scenario rerun
    /// with the same seed explores the same way.
    /// </summary>
    internal static ulong StreamKey(string agentKey)
    {
        var (_, arm, agentId) = GrainKeys.Parse(agentKey);
        return SimRandom.Key($"{arm}/{agentId}");
    }

    /// <summary>The world and this agent's spec, from a key "{runId}/{arm}/{agentId}".</summary>
    internal static async Task<(World World, AgentSpec Spec, string RunId)> Load(WorldCache worlds, string key)
    {
        var (runId, _, agentId) = GrainKeys.Parse(key);
        var world = await worlds.Get(runId);
        var spec = world.Spec.Agents.FirstOrDefault(a => a.Id == agentId)
            ?? throw new InvalidOperationException($"agent '{agentId}' is not in scenario '{world.Spec.Name}'");
        return (world, spec, runId);
    }
}

/// <summary>
/// A bandit agent grain: builds its policy on activation from the run's world and its spec,
/// then forwards proposals and feedback to it.
/// </summary>
public abstract class BanditAgentGrain(WorldCache worlds) : Grain
{
    private IAgentPolicy _policy = null!;

    /// <summary>Creates the policy; <paramref name="streamKey"/> keys its random stream.</summary>
    protected abstract IAgentPolicy CreatePolicy(World world, AgentSpec spec, ulong streamKey);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var key = this.GetPrimaryKeyString();
        var (world, spec, _) = await AgentGrains.Load(worlds, key);
        _policy = CreatePolicy(world, spec, AgentGrains.StreamKey(key));
    }

    public Task<ProposalBatch> Propose(ProposalRequest request) => Task.FromResult(_policy.Propose(request));

    public Task Observe(FeedbackBatch feedback)
    {
        _policy.Observe(feedback);
        return Task.CompletedTask;
    }
}

/// <summary>Epsilon-greedy bandit agent.</summary>
public sealed class EpsilonGreedyAgentGrain(WorldCache worlds) : BanditAgentGrain(worlds), IEpsilonGreedyAgentGrain
{
    protected override IAgentPolicy CreatePolicy(World world, AgentSpec spec, ulong streamKey) =>
        new EpsilonGreedyPolicy(spec, world.Spec.Users.Segments, world.Catalog.Count, world.Seed, streamKey);
}

/// <summary>Beta-Bernoulli Thompson sampling agent.</summary>
public sealed class ThompsonSamplingAgentGrain(WorldCache worlds) : BanditAgentGrain(worlds), IThompsonSamplingAgentGrain
{
    protected override IAgentPolicy CreatePolicy(World world, AgentSpec spec, ulong streamKey) =>
        new ThompsonSamplingPolicy(spec, world.Spec.Users.Segments, world.Catalog.Count, world.Seed, streamKey);
}

/// <summary>
/// REINFORCE agent: scores a round of users with one forward pass of its TorchSharp policy (CPU),
/// turns every shown slate into experience for the trainer grain, and takes the parameters the
/// trainer pushes back.
/// </summary>
public sealed class ReinforceAgentGrain(WorldCache worlds) : Grain, IReinforceAgentGrain
{
    private ReinforcePolicyNetwork _network = null!;
    private ITrainerGrain _trainer = null!;
    private AgentSpec _spec = null!;
    private int _featureSize;
    private int _version;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var (world, spec, runId) = await AgentGrains.Load(worlds, this.GetPrimaryKeyString());
        _spec = spec;
        _network = ReinforcePolicyNetwork.Create(world, spec);
        _network.eval();
        _featureSize = ReinforcePolicyNetwork.FeatureSize(world);
        _trainer = GrainFactory.GetGrain<ITrainerGrain>(runId);
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _network?.Dispose();
        return Task.CompletedTask;
    }

    public Task<ProposalBatch> Propose(ProposalRequest request)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var x = tensor(ReinforcePolicyNetwork.Features(request.Users, _featureSize)).reshape(request.Users.Length, _featureSize);
        var logits = _network.forward(x);
        return Task.FromResult(new ProposalBatch(_network.Items, logits.data<float>().ToArray()));
    }

    public Task Observe(FeedbackBatch feedback)
    {
        var k = feedback.SlateSize;
        var rewards = new float[feedback.Slates.Length];
        for (var u = 0; u < feedback.Users.Length; u++)
            if (feedback.ClickedPositions[u] >= 0) rewards[u * k + feedback.ClickedPositions[u]] = 1;
        var batch = new TrajectoryBatch(feedback.Users.Length, _featureSize, ReinforcePolicyNetwork.Features(feedback.Users, _featureSize),
            k, feedback.Slates, feedback.PositionPropensities, rewards);
        return _trainer.Submit(this.GetPrimaryKeyString(), _spec, batch);
    }

    public Task SetPolicy(PolicySnapshot snapshot)
    {
        if (snapshot.Version > _version)
        {
            _network.Load(snapshot);
            _version = snapshot.Version;
        }
        return Task.CompletedTask;
    }

    public Task<int> GetPolicyVersion() => Task.FromResult(_version);
}
