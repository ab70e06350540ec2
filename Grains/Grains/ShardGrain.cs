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
    private string _arm = null!;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var (runId, arm, last) = GrainKeys.Parse(this.GetPrimaryKeyString());
        _world = await worlds.Get(runId);
        _agents = ArmAgents.Of(_world.Spec, arm);
        _agentKeys = _agents.Select(a => GrainKeys.Agent(runId, arm, a.Id)).ToArray();
        _streamKeys = _agents.Select(a => CandidateProposers.StreamKey(arm, a.Id)).ToArray();
        _agentGrains = _agents.Select((a, i) => AgentGrains.Get(GrainFactory, a.Kind, _agentKeys[i])).ToArray();
        _isBandit = _agents.Select(a => !Names.IsTrainedByTrainer(a.Kind) && !Names.IsContextual(a.Kind)).ToArray();
        _isContextual = _agents.Select(a => Names.IsContextual(a.Kind)).ToArray();
        _trainer = GrainFactory.GetGrain<ITrainerGrain>(runId);
        var index = int.Parse(last, System.Globalization.CultureInfo.InvariantCulture);
        _shard = new ShardSimulation(_world, arm, index, _agents.Length, Telemetry.RunArmTags(runId, arm));
        _arm = arm;
        _guard = new FreshStateGuard($"shard '{this.GetPrimaryKeyString()}'", _shard.JoinRound);
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
        // Agents absent this round (addAgent / removeAgent events) neither propose nor hear feedback.
        var active = Simulation.AgentSchedule.Active(_world.Spec, _arm, _agents, round);
        async Task<ICandidateProposer?> ProposerOf(int i) => !active[i] ? null :
            await proposers.Get(_agentKeys[i], round, async () => CandidateProposers.From(_world, _agents[i], _streamKeys[i], await _agentGrains[i].GetModel(round)));
        var proposerList = await Task.WhenAll(_agents.Select((_, i) => ProposerOf(i)));
        var result = _shard.RunRound(round, proposerList, request.Weights, _isBandit.Where((_, a) => active[a]).Contains(true), _isBandit.Where((_, a) => active[a]).Contains(false));

        var deliveries = new List<Task>();
        for (var a = 0; a < _agents.Length; a++)
        {
            if (!active[a]) continue;
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
