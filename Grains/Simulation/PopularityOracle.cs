using System.Runtime.CompilerServices;

namespace MultiAgentRec.Simulation;

/// <summary>
/// The popularity-oracle arm's slates: the best fixed slate per segment from ground truth, the
/// ceiling of a non-contextual (per-segment) recommender that knew the true utilities. "Best" means:
/// for segment s, the k items with the highest mean, over the segment's users as they start the run,
/// of the true probability that the user clicks the item shown alone in the top slot,
/// σ(u − u₀) = 1 / (1 + exp(u₀ − u)); shown in decreasing order of that mean (the slot the choice
/// model attends to most gets the best item). Every user of the segment sees it every round.
/// It is the exact per-segment optimum when clicks are rare (then a slate's click probability is
/// nearly Σ_k ρ_k·exp(u_k − u₀), linear in each item's attraction); with frequent clicks the
/// competition inside the slate makes it a close approximation, so a learner may come near it or
/// pass it slightly. At most <see cref="MaxUsers"/> users (the first by index, whose segments are
/// drawn at random) enter the means, so the cost does not grow with a million-user population.
/// </summary>
public static class PopularityOracle
{
    /// <summary>Users whose utilities enter the means: plenty for a mean of [0, 1] values per segment.</summary>
    public const int MaxUsers = 100_000;

    private static readonly ConditionalWeakTable<World, Lazy<int[]>> Cache = [];

    /// <summary>The fixed slates, segment-major (segments × slate size); computed once per world and shared by its shards.</summary>
    public static int[] SlatesOf(World world) =>
        Cache.GetValue(world, w => new Lazy<int[]>(() => Compute(w, Math.Min(w.Spec.Users.Count, MaxUsers)))).Value;

    /// <summary>The fixed slates from the first <paramref name="users"/> users (segment-major).</summary>
    public static int[] Compute(World world, int users)
    {
        int segments = world.Spec.Users.Segments, items = world.Catalog.Count, k = world.SlateSize;
        var sums = new double[segments * items];
        var counts = new int[segments];
        var noClick = world.Choice.NoClickUtility;
        for (var i = 0; i < users; i++)
        {
            var user = new SimulatedUser(world, i);
            var utilities = user.Utilities();
            var row = sums.AsSpan(user.Segment * items, items);
            for (var item = 0; item < items; item++) row[item] += 1 / (1 + Math.Exp(noClick - utilities[item]));
            counts[user.Segment]++;
        }
        var slates = new int[segments * k];
        var means = new float[items];
        for (var s = 0; s < segments; s++)
        {
            // A segment without users in the sample keeps the catalog's first items: nobody sees them.
            for (var item = 0; item < items; item++) means[item] = (float)(sums[s * items + item] / Math.Max(1, counts[s]));
            TopK.Select(means, slates.AsSpan(s * k, k));
        }
        return slates;
    }
}
