using MultiAgentRec.Contracts;

namespace MultiAgentRec.Simulation;

/// <summary>
/// What the scenario's timed events do to the world, worked out once from the seed: how many items
/// are available in each round, where the segment centroids are, and who joins when. Every silo
/// builds the same timeline from the scenario, so no event ever travels in a message.
/// <list type="bullet">
/// <item><b>New items.</b> The catalog is generated whole; the items that arrive by events are its
/// highest-numbered ones, released in event order, so the items available in a round are always
/// 0..<see cref="AvailableItems"/>−1.</item>
/// <item><b>Preference shift.</b> Each shifted segment gets a target centroid drawn the way the
/// original centroids were (a sparse Dirichlet mixture of topic directions, keyed by the seed, the
/// event's position in the file and the segment), and its centroid moves to
/// normalise((1 − amount)·c + amount·target): amount 1 is a wholly new taste, 0.5 lands halfway
/// along the chord. A user of the segment adds the same move to its latent interests, keeping its
/// own deviation from the centroid; its observable profile does not change (agents have to notice
/// the shift from clicks).</item>
/// <item><b>Cohorts.</b> Cold-start users are drawn like the others (segment, interests around the
/// centroids in effect when they join, profile, budget), with user numbers after the scenario's.</item>
/// </list>
/// </summary>
public sealed class ScenarioTimeline
{
    private static readonly ulong ShiftKey = SimRandom.Key("preference-shift");

    private readonly (int Round, int Available)[] _availability;
    private readonly float[][] _centroidsAfter;

    public ScenarioTimeline(SimulationSpec spec, Catalog catalog, float[] centroids)
    {
        var events = spec.EventList;
        var releases = events.Where(e => e.Kind == ScenarioEvent.NewItems).OrderBy(e => e.Round).ToArray();
        var available = catalog.Count - releases.Sum(e => e.Count);
        InitialItems = available;
        _availability = releases.Select(e => (e.Round, available += e.Count)).ToArray();

        int segments = spec.Users.Segments, d = catalog.Dim;
        var current = (float[])centroids.Clone();
        var shifts = new List<CentroidShift>();
        var after = new List<float[]>();
        var target = new float[d];
        foreach (var (e, position) in events.Select((e, i) => (e, i)).Where(x => x.e.Kind == ScenarioEvent.PreferenceShift).OrderBy(x => x.e.Round))
        {
            var deltas = new float[segments * d];
            var which = e.Segments.Length == 0 ? Enumerable.Range(0, segments) : e.Segments;
            foreach (var s in which.Distinct())
            {
                var rng = SimRandom.For(spec.Seed, ShiftKey, (ulong)position, (ulong)s);
                Array.Clear(target);
                World.DrawCentroid(ref rng, catalog, target);
                var row = current.AsSpan(s * d, d);
                var moved = new float[d];
                for (var j = 0; j < d; j++) moved[j] = (float)((1 - e.Amount) * row[j] + e.Amount * target[j]);
                // Opposite centroids halfway would cancel out; the target is then the only direction there is.
                if (Catalog.Dot(moved, moved) < 1e-12) target.CopyTo(moved, 0);
                Catalog.Normalize(moved);
                for (var j = 0; j < d; j++) deltas[s * d + j] = moved[j] - row[j];
                moved.CopyTo(row);
            }
            shifts.Add(new CentroidShift(e.Round, deltas));
            after.Add((float[])current.Clone());
        }
        Shifts = shifts;
        _centroidsAfter = [.. after];
        BaseCentroids = centroids;
        Cohorts = UserCohort.Of(spec);
    }

    /// <summary>Items available from round 0.</summary>
    public int InitialItems { get; }

    /// <summary>The preference shifts in round order.</summary>
    public IReadOnlyList<CentroidShift> Shifts { get; }

    /// <summary>The cold-start cohorts in joining order.</summary>
    public IReadOnlyList<UserCohort> Cohorts { get; }

    private float[] BaseCentroids { get; }

    /// <summary>How many items (numbered 0..n−1) can be recommended in <paramref name="round"/>.</summary>
    public int AvailableItems(int round)
    {
        var n = InitialItems;
        foreach (var (r, available) in _availability)
            if (r <= round) n = available;
        return n;
    }

    /// <summary>The segment centroids in effect during <paramref name="round"/> (segments × dim).</summary>
    public float[] CentroidsAt(int round)
    {
        var result = BaseCentroids;
        for (var i = 0; i < Shifts.Count && Shifts[i].Round <= round; i++) result = _centroidsAfter[i];
        return result;
    }

    /// <summary>The round in which user <paramref name="index"/> takes its first step (0 for the scenario's own users).</summary>
    public int JoinRound(int index)
    {
        foreach (var c in Cohorts)
            if (index >= c.FirstUser && index < c.FirstUser + c.Count) return c.Round;
        return 0;
    }
}
