namespace MultiAgentRec.Contracts;

/// <summary>
/// A bandit agent's read-only state for one round, as the shards need it to propose: per segment, a
/// pool of <c>Pool</c> items (row-major, segments × pool) with their posterior means and Beta
/// parameters, best first by the agent's ranking rule, and the mean and spread of the agent's
/// scores over the whole catalog (so candidate scores standardise as full rows would).
/// Its size follows segments × pool, not the catalog.
/// </summary>
[GenerateSerializer, Immutable, Alias("mar.v1.BanditModel")]
public sealed record BanditModel(
    [property: Id(0)] int Segments,
    [property: Id(1)] int Pool,
    [property: Id(2)] int[] Items,
    [property: Id(3)] float[] Means,
    [property: Id(4)] float[] Alphas,
    [property: Id(5)] float[] Betas,
    [property: Id(6)] float[] RowMeans,
    [property: Id(7)] float[] RowSds);
