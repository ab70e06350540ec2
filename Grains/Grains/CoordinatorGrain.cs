using System.Diagnostics;
using MultiAgentRec.Arms;
using MultiAgentRec.Contracts;
using MultiAgentRec.Hosting;

namespace MultiAgentRec.Grains;

/// <summary>
/// The coordinator of one arm (key "{runId}/{arm}"). It owns what is arm-wide: the aggregation
/// weights and the round barrier. A round: send every shard the round's weights (at most
/// <see cref="MaxShardsInFlight"/> calls at a time, so no call queues for long on a busy silo),
/// add up their reports in shard order, update the weights, and let the trainer update the
/// policy-gradient agents (or, with trainer.overlap, collect the update that ran during this round and
/// start the next). It rebuilds itself from the run's scenario and its stored Hedge state
/// after any reactivation.
/// </summary>
public sealed class CoordinatorGrain(WorldCache worlds, [PersistentState("coordinator")] IPersistentState<CoordinatorState> state)
    : Grain, ICoordinatorGrain
{
    /// <summary>Shard calls in flight per arm: enough to keep 64 cores busy; the rest wait here, not in a silo's queue.</summary>
    public const int MaxShardsInFlight = 64;

    private ArmCoordinator _arm = null!;
    private IShardGrain[] _shards = [];
    private string[] _policyGradientKeys = [];
    private ITrainerGrain _trainer = null!;
    private Simulation.World _world = null!;
    private string _runId = null!;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var (runId, arm) = GrainKeys.ParseArm(this.GetPrimaryKeyString());
        _runId = runId;
        _world = await worlds.Get(runId);
        var spec = _world.Spec;
        _arm = new ArmCoordinator(spec, arm);
        _arm.Hedge?.Restore(state.State.CumulativeLosses);
        _shards = Simulation.ShardLayout.For(spec).Select(plan => GrainFactory.GetGrain<IShardGrain>(GrainKeys.Shard(runId, arm, plan.Index))).ToArray();
        _policyGradientKeys = _arm.Agents.Where(a => Names.IsTrainedByTrainer(a.Kind)).Select(a => GrainKeys.Agent(runId, arm, a.Id)).ToArray();
        _trainer = GrainFactory.GetGrain<ITrainerGrain>(runId);
    }

    public async Task<RoundReport> RunRound(int round)
    {
        // Rounds are the unit of truth: each is played once, in order, even across reactivations.
        if (round != state.State.LastRound + 1)
            throw new InvalidOperationException($"arm '{_arm.Arm}' of run '{_runId}' has played rounds 0..{state.State.LastRound}; round {state.State.LastRound + 1} is next, not {round}");
        var started = Stopwatch.GetTimestamp();
        var request = new ShardRoundRequest(round, _arm.WeightsAt(round));
        // Cold-start cohorts' shards join at their round: the shards playing are a prefix of the layout.
        var reports = new ShardReport[_arm.ShardsPlaying(round)];
        for (var first = 0; first < reports.Length; first += MaxShardsInFlight)
        {
            var wave = Enumerable.Range(first, Math.Min(MaxShardsInFlight, reports.Length - first)).ToArray();
            var results = await Task.WhenAll(wave.Select(i => _shards[i].RunRound(request)));
            for (var j = 0; j < wave.Length; j++) reports[wave[j]] = results[j];
        }
        if (_policyGradientKeys.Length > 0) await Train(round);

        var report = _arm.Reduce(round, reports, Stopwatch.GetElapsedTime(started).TotalSeconds);
        if (_arm.Hedge is { } hedge) state.State.CumulativeLosses = hedge.CumulativeLosses;
        state.State.LastRound = round;
        await state.WriteStateAsync();
        Record(report);
        return report;
    }

    /// <summary>
    /// The trainer's part of the end of a round (<see cref="Training.TrainingStep"/>). The pending update
    /// of trainer.overlap lives in the trainer and collecting it is a no-op when there is none, so a
    /// reactivated coordinator needs no state of its own for it.
    /// </summary>
    private async Task Train(int round)
    {
        var step = Training.TrainingStep.After(_world.Spec, round);
        if (step.Collect) await _trainer.FinishUpdate(_policyGradientKeys);
        if (step.Start) await _trainer.StartUpdate(_policyGradientKeys);
        if (step.Train) await _trainer.Train(_policyGradientKeys);
    }

    private void Record(RoundReport report)
    {
        var armTags = Telemetry.RunArmTags(_runId, _arm.Arm);
        Telemetry.Recommendations.Add(report.Slates, armTags);
        Telemetry.Clicks.Add(report.Clicks, armTags);
        Telemetry.ExpectedClicks.Add(report.SumExpectedClick, armTags);
        Telemetry.RoundDuration.Record(report.Seconds, armTags);
        foreach (var w in report.Weights)
        {
            var tags = Telemetry.AgentTags(_runId, _arm.Arm, w.AgentId);
            Telemetry.AgentReward.Add(w.CreditedReward, tags);
            Telemetry.AgentWeight.Record(w.Weight, tags);
        }
    }
}
