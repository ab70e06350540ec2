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
    private readonly OverlappingLearner?[] _learners;
    private readonly LinearBanditPolicy?[] _linear;
    private readonly ReinforceLearnerGroup[] _groups;
    private readonly (int Group, int Member)?[] _learnerOf;
    private readonly int _maxParallelism;
    private readonly PolicySnapshot?[] _published;
    private Task<GroupUpdate[]>? _running;

    public ArmSimulation(World world, string arm, TorchSharp.torch.Device? trainingDevice = null, int maxParallelism = -1)
    {
        _world = world;
        _coordinator = new ArmCoordinator(world.Spec, arm);
        _agents = [.. _coordinator.Agents];
        _streamKeys = _agents.Select(a => CandidateProposers.StreamKey(arm, a.Id)).ToArray();
        _bandits = _agents.Select((a, i) => Names.IsTrainedByTrainer(a.Kind) || Names.IsContextual(a.Kind) ? null : CandidateProposers.BanditPolicyFor(world, a, _streamKeys[i])).ToArray();
        _linear = _agents.Select(a => Names.IsContextual(a.Kind) ? new LinearBanditPolicy(world, a, ShardLayout.FeedingAgent(world.Spec, arm, a.Id)) : null).ToArray();
        // REINFORCE agents that share an architecture train as one stack, as in the trainer grain;
        // the other kinds the trainer trains (DQN, SlateQ) bring learners of their own.
        (_groups, _learnerOf) = TrainerGroups.Build(world, _agents, trainingDevice ?? TorchSharp.torch.CPU);
        _learners = _agents.Select((a, i) => Names.IsTrainedByTrainer(a.Kind) && _learnerOf[i] is null ? new OverlappingLearner(TrainerLearners.Create(world, a, trainingDevice ?? TorchSharp.torch.CPU, _streamKeys[i])) : null).ToArray();
        _shards = ShardLayout.For(world.Spec).Select(plan => new ShardSimulation(world, arm, plan.Index, _agents.Length)).ToArray();
        _maxParallelism = maxParallelism;
        _published = new PolicySnapshot?[_agents.Length];
        PublishSnapshots();
    }

    public string Arm => _coordinator.Arm;

    /// <summary>Gradient steps and samples of the learners so far.</summary>
    public long TrainingSteps { get; private set; }

    public RoundReport RunRound(int round)
    {
        var started = Stopwatch.GetTimestamp();
        var spec = _world.Spec;
        var active = _coordinator.Active(round);
        var proposers = new ICandidateProposer?[_agents.Length];
        for (var a = 0; a < _agents.Length; a++)
        {
            if (!active[a]) continue;
            var model = _bandits[a] is { } bandit
                ? new AgentModel(round, round, bandit.ModelFor(round), null)
                : _linear[a] is { } linear
                ? new AgentModel(round, round, null, null, linear.ModelFor(round))
                : new AgentModel(round, Version(a), null, Snapshot(a));
            proposers[a] = CandidateProposers.From(_world, _agents[a], _streamKeys[a], model);
        }
        var weights = _coordinator.WeightsAt(round);
        var wantBandit = _bandits.Where((b, a) => active[a]).Any(b => b is not null);
        var wantTrajectories = Enumerable.Range(0, _agents.Length).Any(a => active[a] && (_learners[a] is not null || _linear[a] is not null || _learnerOf[a] is not null));
        var results = new ShardRoundResult[_coordinator.ShardsPlaying(round)];
        Parallel.For(0, results.Length, new ParallelOptions { MaxDegreeOfParallelism = _maxParallelism },
            i => results[i] = _shards[i].RunRound(round, proposers, weights, wantBandit, wantTrajectories));

        foreach (var r in results)
            for (var a = 0; a < _agents.Length; a++)
            {
                if (!active[a]) continue;
                if (r.SegmentClickFeedback is { } feedback) _bandits[a]?.Observe(feedback);
                if (r.Trajectories is { } batch) _learners[a]?.Add(batch);
                if (r.Trajectories is { } impressions) _linear[a]?.Observe(impressions);
                if (r.Trajectories is { } rows && _learnerOf[a] is { } at) _groups[at.Group].Add(at.Member, rows);
            }
        Train(round);

        return _coordinator.Reduce(round, results.Select(r => r.Report).ToArray(), Stopwatch.GetElapsedTime(started).TotalSeconds);
    }

    /// <summary>The trainer's step (<see cref="TrainingStep"/>), as the coordinator and the trainer grain take it.</summary>
    private void Train(int round)
    {
        var trainer = _world.Spec.Trainer;
        var step = TrainingStep.After(_world.Spec, round);
        if (step.Collect && _running is { } running)
        {
            _running = null;
            TrainingSteps += running.GetAwaiter().GetResult().Sum(u => u.Members.Sum(m => m.Steps));
            foreach (var learner in _learners)
            {
                if (learner is not { IsUpdating: true }) continue;
                learner.Running.Wait();
                TrainingSteps += learner.Collect()!.Value.Steps;
            }
            PublishSnapshots();
        }
        if (step.Start)
        {
            _running = GroupUpdates.Start(_groups, trainer.Epochs, trainer.MinibatchSize);
            foreach (var learner in _learners)
                if (learner is not null && learner.PendingRows > 0) learner.Start(trainer.Epochs, trainer.MinibatchSize);
        }
        if (!step.Train) return;
        TrainingSteps += GroupUpdates.Run(_groups, trainer.Epochs, trainer.MinibatchSize).Sum(u => u.Members.Sum(m => m.Steps));
        foreach (var learner in _learners)
            if (learner is not null && learner.PendingRows > 0) TrainingSteps += learner.Update(trainer.Epochs, trainer.MinibatchSize).Steps;
        PublishSnapshots();
    }

    /// <summary>
    /// Takes the snapshots the next rounds propose with: under trainer.overlap the networks are trained
    /// while a round plays, so agents propose, as the agent grains do, with what was last published.
    /// </summary>
    private void PublishSnapshots()
    {
        for (var a = 0; a < _agents.Length; a++)
            _published[a] = _learnerOf[a] is { } at ? _groups[at.Group].Snapshot(at.Member) : _learners[a]?.Snapshot();
    }

    private int Version(int agent) => _published[agent]?.Version ?? 0;
    private PolicySnapshot? Snapshot(int agent) => _published[agent];

    public void Dispose()
    {
        // A run stopped before its last round may leave an update running on the networks freed below
        // (the value learners wait for theirs when disposed).
        if (_running is { } running)
        {
            try { running.Wait(); }
            catch (AggregateException) { }   // its failure is not the caller's: the run already ended
        }
        foreach (var group in _groups) group.Dispose();
        foreach (var learner in _learners) learner?.Dispose();
    }
}
