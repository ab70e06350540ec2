namespace MultiAgentRec.Contracts;

/// <summary>
/// A contextual (linear) bandit's read-only state for one round. A user's context x has
/// <c>Features</c> entries (profile, then one-hot segment); item a's mean reward is xᵀθ_a, plus, for
/// the hybrid model, zᵀβ with the <c>Shared</c> features z = profile ⊙ embedding_a. Per item (row-major):
/// θ_a (<c>Theta</c>), the upper triangle of A_a⁻¹ row by row (<c>Covariance</c>) and, hybrid only,
/// C_a = A_a⁻¹B_a (<c>Cross</c>, Features × Shared). Shared: β and the upper triangle of A₀⁻¹. Per
/// (segment, item): the width √s of the item's confidence interval at the segment's mean observed
/// context (<c>CentroidWidths</c>), which ranks the pool each user scores exactly. The size is
/// items × (d + d(d+1)/2 + d·k) floats: it follows the catalog, and validation bounds it.
/// </summary>
[GenerateSerializer, Immutable, Alias("mar.v1.LinearBanditModel")]
public sealed record LinearBanditModel(
    [property: Id(0)] int Items,
    [property: Id(1)] int Features,
    [property: Id(2)] int Shared,
    [property: Id(3)] int Segments,
    [property: Id(4)] float[] Theta,
    [property: Id(5)] float[] Covariance,
    [property: Id(6)] float[] Cross,
    [property: Id(7)] float[] Beta,
    [property: Id(8)] float[] SharedCovariance,
    [property: Id(9)] float[] CentroidWidths,
    [property: Id(10)] float[] MeanSquaredWidths);
