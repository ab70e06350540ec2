using System.Diagnostics;
using MultiAgentRec.Contracts;
using MultiAgentRec.Hosting;

namespace MultiAgentRec.Client.Runs;

/// <summary>Everything a run produced, round by round and arm by arm.</summary>
public sealed record RunResult(
    string RunId,
    SimulationSpec Spec,
    IReadOnlyDictionary<string, RoundReport[]> Rounds,
    TrainingReport Training,
    double WallSeconds)
{
    /// <summary>Simulated user steps of every arm together.</summary>
    public long UserSteps => Rounds.Values.Sum(rounds => rounds.Sum(r => (long)r.Slates));
}

/// <summary>
/// Drives a scenario on a cluster: registers it, then runs every arm's rounds through the arm's
/// coordinator grain; arms run concurrently, rounds within an arm in order. Coordinators, shards and
/// agents build themselves from the registered scenario, so there is nothing else to set up.
/// </summary>
public sealed class ScenarioRunner(IGrainFactory grains)
{
    /// <summary>Runs the scenario; <paramref name="progress"/> hears the user steps done after each arm-round.</summary>
    public async Task<RunResult> RunAsync(SimulationSpec spec, Action<long>? progress = null, CancellationToken cancellationToken = default)
    {
        var runId = $"{spec.Name}-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Guid.NewGuid().ToString("N")[..8]}";
        await grains.GetGrain<IRunGrain>(runId).Register(spec);

        var started = Stopwatch.GetTimestamp();
        long stepsDone = 0;
        var arms = spec.Arms;
        var tasks = arms.Select(async arm =>
        {
            var coordinator = grains.GetGrain<ICoordinatorGrain>(GrainKeys.Arm(runId, arm));
            var reports = new RoundReport[spec.Rounds];
            for (var round = 0; round < spec.Rounds; round++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                reports[round] = await coordinator.RunRound(round);
                progress?.Invoke(Interlocked.Add(ref stepsDone, reports[round].Slates));
            }
            return reports;
        }).ToArray();
        var results = await Task.WhenAll(tasks);
        var wall = Stopwatch.GetElapsedTime(started).TotalSeconds;

        var training = await grains.GetGrain<ITrainerGrain>(runId).GetReport();
        var rounds = arms.Select((arm, i) => (arm, results[i])).ToDictionary(x => x.arm, x => x.Item2);
        return new RunResult(runId, spec, rounds, training, wall);
    }
}
