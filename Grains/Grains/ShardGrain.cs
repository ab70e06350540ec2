using MultiAgentRec.Agents;
using MultiAgentRec.Arms;
using MultiAgentRec.Contracts;
using MultiAgentRec.Hosting;

namespace MultiAgentRec.Grains;

/// <summary>
/// A shard of one arm's users (key "{runId}/{arm}/{shardIndex}"): builds its users from the run's
/// seed on activation, and plays each round for them in one turn with <see cref="ShardSimulation"/>.
/// Proposals come from per-silo copies of the agents' round models; feedback goes to the agents
/// and the trainer before the shard reports, so the coordinator's barrier covers learning too.
/// Placed round-robin over the silos (<see cref="ShardPlacementAttribute"/>).
/// </summary>
[ShardPlacement]
public sealed class ShardGrain(WorldCache worlds, ProposerCache proposers) : Grain, IShardGrain
{
    private ShardSimulation _shard = null!;
    private Simulation.World _world = null!;
    private AgentSpec[] _agents = [];
    private string[] _agentKeys = [];
    private ulong[] _streamKeys = [];
    private IAgentGrain[] _agentGrains = [];
    private bool[] _isBandit = [];
    private bool[] _isContextual = [];
    private ITrainerGrain _trainer = null!;
    private FreshStateGuard _guard = null!;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var (runId, arm, last) = GrainKeys.Parse(this.GetPrimaryKeyString());
        _world = await worlds.Get(runId);
        _agents = ArmAgents.Of(_world.Spec, arm);
        _agentKeys = _agents.Select(a => GrainKeys.Agent(runId, arm, a.Id)).ToArray();
        _streamKeys = _agents.Select(a => CandidateProposers.StreamKey(arm, a.Id)).ToArray();
        _agentGrains = _agents.Select((a, i) => AgentGrains.Get(GrainFactory, a.Kind, _agentKeys[i])).ToArray();
        _isBandit = _agents.Select(a => !Names.IsPolicyGradient(a.Kind) && !Names.IsContextual(a.Kind)).ToArray();
        _isContextual = _agents.Select(a => Names.IsContextual(a.Kind)).ToArray();
        _trainer = GrainFactory.GetGrain<ITrainerGrain>(runId);
        _guard = new FreshStateGuard($"shard '{this.GetPrimaryKeyString()}'");
        var index = int.Parse(last, System.Globalization.CultureInfo.InvariantCulture);
        _shard = new ShardSimulation(_world, arm, index, _agents.Length, Telemetry.RunArmTags(runId, arm));
        Telemetry.ActiveUsers.Add(_shard.Count);
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        Telemetry.ActiveUsers.Add(-_shard.Count);
        return Task.CompletedTask;
    }

    public async Task<ShardReport> RunRound(ShardRoundRequest request)
    {
        var round = request.Round;
        _guard.Check(round);
        var proposerList = await Task.WhenAll(_agents.Select((a, i) =>
            proposers.Get(_agentKeys[i], round, async () => CandidateProposers.From(_world, a, _streamKeys[i], await _agentGrains[i].GetModel(round)))));
        var result = _shard.RunRound(round, proposerList, request.Weights, _isBandit.Contains(true), _isBandit.Contains(false));

        var deliveries = new List<Task>();
        for (var a = 0; a < _agents.Length; a++)
        {
            if (_isBandit[a] && result.SegmentClickFeedback is { } feedback) deliveries.Add(_agentGrains[a].Observe(feedback));
            // Contextual bandits learn from each impression's features, item and click: the same rows the trainer gets.
            else if (_isContextual[a] && result.Trajectories is { } impressions) deliveries.Add(((IContextualBanditAgentGrain)_agentGrains[a]).ObserveImpressions(impressions));
            else if (!_isBandit[a] && result.Trajectories is { } batch) deliveries.Add(_trainer.Submit(_agentKeys[a], batch));
        }
        await Task.WhenAll(deliveries);
        return result.Report;
    }

    public Task<UserContext> GetUserContext(int userIndex) => Task.FromResult(_shard.ContextOf(userIndex));
}
