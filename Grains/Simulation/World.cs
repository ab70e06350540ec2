using MultiAgentRec.Contracts;

namespace MultiAgentRec.Simulation;

/// <summary>
/// Everything of a run that is fixed and shared: the scenario, the catalog, the choice model and
/// the segment centroids. Rebuilt deterministically from the scenario on every silo (see WorldCache).
/// </summary>
public sealed class World
{
    public SimulationSpec Spec { get; }
    public Catalog Catalog { get; }
    public MultinomialLogitChoiceModel Choice { get; }

    /// <summary>Segment centroids in embedding space, row-major (segments × dim), unit norm.</summary>
    public float[] Centroids { get; }

    public int Seed => Spec.Seed;
    public int SlateSize => Spec.SlateSize;

    public World(SimulationSpec spec)
    {
        Spec = spec;
        Catalog = Catalog.Generate(spec.Catalog, spec.Seed);
        Choice = MultinomialLogitChoiceModel.From(spec.Choice, spec.SlateSize);
        Centroids = MakeCentroids(spec, Catalog);
        Timeline = new ScenarioTimeline(spec, Catalog, Centroids);
    }

    /// <summary>The timed events' effects: item availability, centroid shifts, cohorts.</summary>
    public ScenarioTimeline Timeline { get; }

    /// <summary>The centroids user <paramref name="index"/> is drawn around: those in effect when it joins.</summary>
    public float[] CentroidsForUser(int index) => Timeline.Cohorts.Count == 0 ? Centroids : Timeline.CentroidsAt(Timeline.JoinRound(index));

    private static float[] MakeCentroids(SimulationSpec spec, Catalog catalog)
    {
        var rng = SimRandom.For(spec.Seed, SimRandom.Key("segments"));
        int s = spec.Users.Segments, d = catalog.Dim;
        var centroids = new float[s * d];
        for (var c = 0; c < s; c++) DrawCentroid(ref rng, catalog, centroids.AsSpan(c * d, d));
        return centroids;
    }

    // A segment likes a few topics: its centroid is a sparse Dirichlet mixture of topic directions,
    // so segments differ in what they like and items can serve them. Adds into a zeroed row.
    internal static void DrawCentroid(ref SimRandom rng, Catalog catalog, Span<float> row)
    {
        int d = catalog.Dim, t = catalog.Topics;
        for (var k = 0; k < t; k++)
        {
            var w = (float)rng.NextGamma(0.5);
            var dir = catalog.TopicDirections.AsSpan(k * d, d);
            for (var j = 0; j < d; j++) row[j] += w * dir[j];
        }
        Catalog.Normalize(row);
    }
}
