using MultiAgentRec.Contracts;
using MultiAgentRec.Hosting;
using Orleans.Core.Internal;

namespace MultiAgentRec.IntegrationTests;

/// <summary>
/// Drives an arm's coordinator one round at a time, as a test that interferes between rounds needs:
/// Orleans may collect an idle grain at any time, and such a test makes it happen before a chosen round.
/// </summary>
internal static class RoundByRound
{
    /// <summary>How long Orleans gets to finish a requested deactivation before the next call activates the grain afresh.</summary>
    private static readonly TimeSpan DeactivationTime = TimeSpan.FromMilliseconds(200);

    /// <summary>Registers <paramref name="spec"/> as a new run whose id starts with <paramref name="name"/>; the coordinator of its <paramref name="arm"/>, and the run id.</summary>
    public static async Task<(ICoordinatorGrain Coordinator, string RunId)> Register(IGrainFactory grains, SimulationSpec spec, string name, string arm)
    {
        var runId = $"{name}-{Guid.NewGuid():N}";
        await grains.GetGrain<IRunGrain>(runId).Register(spec);
        return (grains.GetGrain<ICoordinatorGrain>(GrainKeys.Arm(runId, arm)), runId);
    }

    /// <summary>Deactivates each of <paramref name="grains"/>; the next call to one activates it afresh.</summary>
    public static async Task Deactivate(params IAddressable[] grains)
    {
        foreach (var grain in grains) await grain.Cast<IGrainManagementExtension>().DeactivateOnIdle();
        await Task.Delay(DeactivationTime);
    }

    /// <summary>
    /// Plays rounds 0..<paramref name="rounds"/>−1 through <paramref name="coordinator"/>, deactivating
    /// <paramref name="grains"/> just before round <paramref name="deactivateBefore"/>; <paramref name="afterRound"/>,
    /// when given, runs after each round (to read what a grain holds then). Returns every round's report.
    /// </summary>
    public static async Task<RoundReport[]> Play(ICoordinatorGrain coordinator, int rounds, int deactivateBefore, IAddressable[] grains, Func<int, Task>? afterRound = null)
    {
        var reports = new RoundReport[rounds];
        for (var round = 0; round < rounds; round++)
        {
            if (round == deactivateBefore) await Deactivate(grains);
            reports[round] = await coordinator.RunRound(round);
            if (afterRound is not null) await afterRound(round);
        }
        return reports;
    }
}
