using System.Diagnostics;
using MultiAgentRec.Agents;
using MultiAgentRec.Contracts;
using MultiAgentRec.Simulation;
using MultiAgentRec.Training;

namespace MultiAgentRec.Arms;

/// <summary>
/// One arm run as a tight in-process loop of the same plain classes the grains use (shards in
/// parallel, bandit policies, the REINFORCE learner, the arm coordinator), without any grain: the
/// project's reference for the physical limit of its simulation, and for what a grain run must
/// reproduce exactly.
/// </summary>
public sealed class ArmSimulation : IDisposable
{
    private readonly World _world;
    private readonly ArmCoordinator _coordinator;
    private readonly ShardSimulation[] _shards;
    private readonly AgentSpec[] _agents;
    private readonly ulong[] _streamKeys;
    private readonly BanditPolicy?[] _bandits;
    private readonly ReinforceLearnerGroup[] _groups;
    private readonly (int Group, int Member)?[] _learnerOf;
    private readonly int _maxParallelism;

    public ArmSimulation(World world, string arm, TorchSharp.torch.Device? trainingDevice = null, int maxParallelism = -1)
    {
        _world = world;
        _coordinator = new ArmCoordinator(world.Spec, arm);
        _agents = [.. _coordinator.Agents];
        _streamKeys = _agents.Select(a => CandidateProposers.StreamKey(arm, a.Id)).ToArray();
        _bandits = _agents.Select((a, i) => Names.IsPolicyGradient(a.Kind) ? null : CandidateProposers.BanditPolicyFor(world, a, _streamKeys[i])).ToArray();
        // Policy-gradient agents that share an architecture train as one stack, as in the trainer grain.
        (_groups, _learnerOf) = TrainerGroups.Build(world, _agents, trainingDevice ?? TorchSharp.torch.CPU);
        _shards = Enumerable.Range(0, world.Spec.ShardCount).Select(i => new ShardSimulation(world, arm, i, _agents.Length)).ToArray();
        _maxParallelism = maxParallelism;
    }

    public string Arm => _coordinator.Arm;

    /// <summary>Gradient steps and samples of the learners so far.</summary>
    public long TrainingSteps { get; private set; }

    public RoundReport RunRound(int round)
    {
        var started = Stopwatch.GetTimestamp();
        var spec = _world.Spec;
        var proposers = new ICandidateProposer[_agents.Length];
        for (var a = 0; a < _agents.Length; a++)
        {
            var model = _bandits[a] is { } bandit
                ? new AgentModel(round, round, bandit.ModelFor(round), null)
                : new AgentModel(round, Version(a), null, Snapshot(a));
            proposers[a] = CandidateProposers.From(_world, _agents[a], _streamKeys[a], model);
        }
        var weights = _coordinator.Weights();
        var wantBandit = _bandits.Any(b => b is not null);
        var wantTrajectories = _groups.Length > 0;
        var results = new ShardRoundResult[_shards.Length];
        Parallel.For(0, _shards.Length, new ParallelOptions { MaxDegreeOfParallelism = _maxParallelism },
            i => results[i] = _shards[i].RunRound(round, proposers, weights, wantBandit, wantTrajectories));

        foreach (var r in results)
            for (var a = 0; a < _agents.Length; a++)
            {
                if (r.SegmentClickFeedback is { } feedback) _bandits[a]?.Observe(feedback);
                if (r.Trajectories is { } batch && _learnerOf[a] is { } at) _groups[at.Group].Add(at.Member, batch);
            }
        if ((round + 1) % spec.Trainer.EveryRounds == 0)
            foreach (var group in _groups)
                TrainingSteps += group.Update(spec.Trainer.Epochs, spec.Trainer.MinibatchSize).Sum(u => u.Steps);

        return _coordinator.Reduce(round, results.Select(r => r.Report).ToArray(), Stopwatch.GetElapsedTime(started).TotalSeconds);
    }

    private int Version(int agent) => _learnerOf[agent] is { } at ? _groups[at.Group].Version(at.Member) : 0;
    private PolicySnapshot? Snapshot(int agent) => _learnerOf[agent] is { } at ? _groups[at.Group].Snapshot(at.Member) : null;

    public void Dispose()
    {
        foreach (var group in _groups) group.Dispose();
    }
}
