namespace MultiAgentRec.Simulation;

/// <summary>
/// The catalog-sized working space of a user step (every item's utility, the oracle slate). One per
/// worker, reused across users, so user state itself never grows with the catalog.
/// </summary>
public sealed class UserScratch(World world)
{
    /// <summary>Every item's utility (padded to whole vector blocks; the first Catalog.Count entries count).</summary>
    public float[] Utilities { get; } = new float[world.Catalog.PaddedCount];
    public int[] Oracle { get; } = new int[world.SlateSize];
}
