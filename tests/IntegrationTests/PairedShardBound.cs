namespace MultiAgentRec.IntegrationTests;

/// <summary>
/// A lower confidence bound on how much arm x beats arm y, from their figures paired shard by shard.
/// </summary>
/// <remarks>
/// Two arms of one run (or two runs of one seed) serve the same users, split into the same shards,
/// with the same random streams (common random numbers). Shard j's difference D_j = x_j − y_j is the
/// mean over its m users of each user's difference, so what every arm shares (which users were drawn,
/// how hard each is to serve) cancels in D_j, where Hoeffding's bound on two independent means pays for
/// it twice (margin 2·√(ln(2/δ)/(2U)) ≈ 0.087 at U = 2,000, δ = 0.001).
///
/// Users are drawn independently (segment and interests keyed by the user's index), so the J shards'
/// D_j are independent draws of one distribution; each averages m·R user steps, so it is close to
/// normal. Then (D̄ − μ)/(s/√J), with D̄ and s the mean and the sample standard deviation of the D_j,
/// follows Student's t with J − 1 degrees of freedom, and μ &gt; D̄ − t(1−δ, J−1)·s/√J with probability
/// 1 − δ. With equal shards, D̄ is exactly the difference of the two arms' figures.
///
/// What the bound does not cover: the randomness every user of an arm shares, the path its agents'
/// learning took, which moves all shards together. The tests cover it by checking two seeds, one
/// they were not designed on.
/// </remarks>
internal static class PairedShardBound
{
    /// <summary>Shards the collaboration tests split their users into (2,000 users, shardSize 50).</summary>
    public const int Shards = 40;

    /// <summary>t(0.999, 39): the one-sided δ = 0.001 quantile of Student's t with J − 1 = 39 degrees of freedom.</summary>
    public const double T999 = 3.3128;

    /// <summary>t(0.9995, 39): the same at δ = 0.0005, for two comparisons at once (Bonferroni: 2 × 0.0005 = 0.001).</summary>
    public const double T9995 = 3.5581;

    /// <summary>The mean paired difference x − y over the shards and its margin t·s/√J.</summary>
    public static (double Difference, double Margin) Of(IReadOnlyList<double> x, IReadOnlyList<double> y, double t)
    {
        if (x.Count != y.Count || x.Count < 2) throw new ArgumentException($"need two paired lists of at least 2 shards, got {x.Count} and {y.Count}");
        var d = x.Zip(y, (a, b) => a - b).ToArray();
        var mean = d.Average();
        var sd = Math.Sqrt(d.Sum(v => (v - mean) * (v - mean)) / (d.Length - 1));
        return (mean, t * sd / Math.Sqrt(d.Length));
    }
}
