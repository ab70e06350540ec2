using Orleans.Runtime.Placement;

namespace MultiAgentRec.Hosting;

/// <summary>
/// Puts shard i of an arm on silo (i + offset) mod S of the S compatible silos in address order; the
/// offset is a hash of the arm, so one-shard arms spread over silos too. Placement never changes a
/// run's results (every draw is keyed by user and round), only how evenly silos share the work.
/// </summary>
public sealed class ShardPlacementDirector : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var silos = context.GetCompatibleSilos(target).OrderBy(s => s.ToParsableString(), StringComparer.Ordinal).ToArray();
        var key = target.GrainIdentity.Key.ToString();
        var last = key.LastIndexOf('/');
        var index = last >= 0 && int.TryParse(key.AsSpan(last + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var i) ? i : 0;
        var offset = (int)(Simulation.SimRandom.Key(last >= 0 ? key[..last] : key) % (ulong)silos.Length);
        return Task.FromResult(silos[(index + offset) % silos.Length]);
    }
}
