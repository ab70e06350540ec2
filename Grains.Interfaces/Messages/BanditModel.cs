namespace MultiAgentRec.Contracts;

/// <summary>
/// A bandit agent's read-only state for one round, as the shards need it to propose. Per segment s,
/// <c>Items[Starts[s]..TiedStarts[s]]</c> are the items ranked strictly above the segment's boundary
/// value, best first, and <c>Items[TiedStarts[s]..Starts[s + 1]]</c> every item tied at it: a user's
/// list of <c>Pool</c> items is the ranked ones plus a random sample of the tied ones, drawn per
/// user, so equal scores are ranked at random for every user as a full sort with random tie-breaks
/// would. Per item (aligned with <c>Items</c>): the score proposals rank by (posterior mean; the
/// index for UCB1 and KL-UCB) and Beta parameters (Thompson sampling). Per segment: the
/// mean and spread of the agent's scores over the whole catalog, so candidates standardise as full
/// rows would. The size follows the pool and the ties, at most segments × catalog.
/// <c>Shares</c> (index kinds with a batch allocation, else null): per item, the share of the segment's
/// users the round's allocation shows it to, its inclusion probability in [0, 1]; the allocated items
/// come first in the segment, in ranking order, then items listed only to fill a user's list (share 0);
/// NaN for every item of a segment without an allocation (its first round), ranked as above.
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
    [property: Id(7)] float[] RowSds,
    [property: Id(8)] int[] Starts,
    [property: Id(9)] int[] TiedStarts,
    [property: Id(10)] float[]? Shares = null);
