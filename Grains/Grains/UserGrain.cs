using System.Diagnostics;
using MultiAgentRec.Contracts;
using MultiAgentRec.Hosting;
using MultiAgentRec.Simulation;

namespace MultiAgentRec.Grains;

/// <summary>One simulated user of one arm; the simulation itself lives in <see cref="SimulatedUser"/>.</summary>
public sealed class UserGrain(WorldCache worlds) : Grain, IUserGrain
{
    private SimulatedUser _user = null!;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var (runId, _, index) = GrainKeys.Parse(this.GetPrimaryKeyString());
        var world = await worlds.Get(runId);
        _user = new SimulatedUser(world, int.Parse(index, System.Globalization.CultureInfo.InvariantCulture));
        Telemetry.ActiveUsers.Add(1);
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        Telemetry.ActiveUsers.Add(-1);
        return Task.CompletedTask;
    }

    public Task<UserContext> GetContext() => Task.FromResult(Context());

    public Task<StepOutcome> Step(StepRequest request)
    {
        var started = Stopwatch.GetTimestamp();
        var shown = new int[request.Slate?.Length ?? _user.SlateSize];
        var r = _user.Step(request.Round, request.ServeOracle ? [] : request.Slate, shown);
        var outcome = new StepOutcome(shown, r.ClickedPosition, r.Engagement, r.ExpectedClick, r.OracleExpectedClick, r.Ndcg, r.SessionEnded, Context());
        Telemetry.StepDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
        return Task.FromResult(outcome);
    }

    private UserContext Context() => new(_user.Index, _user.Segment, _user.Profile, [.. _user.RecentClicks]);
}
