using MultiAgentRec.Contracts;

namespace MultiAgentRec.Simulation;

/// <summary>
/// The items of a run: topic mixtures, quality and unit-norm embeddings, all row-major.
/// Embeddings are the topic mixture pushed through random topic directions plus a little noise,
/// so that items sharing topics sit close together: agents that generalise over embeddings can
/// exploit that, and slate diversity means something.
/// </summary>
public sealed class Catalog
{
    public int Count { get; }
    public int Topics { get; }
    public int Dim { get; }
    public float[] Embeddings { get; }
    public float[] TopicMix { get; }
    public float[] Quality { get; }
    public float[] TopicDirections { get; }

    /// <summary>Items per block of <see cref="UtilityPanel"/>: the machine's vector width.</summary>
    public int PanelWidth { get; }

    /// <summary>The catalog's size rounded up to whole panel blocks: the length a utilities buffer needs.</summary>
    public int PaddedCount { get; }

    /// <summary>
    /// Everything a user's utilities read, in blocks of <see cref="PanelWidth"/> items: per block the
    /// quality, then each embedding dimension, then each topic, one vector of items each (padding items
    /// are zero). A user's utilities are then one sequential pass with a register accumulator per
    /// block, instead of a store per item and dimension (see <see cref="SimulatedUser.Utilities(Span{float})"/>).
    /// </summary>
    public float[] UtilityPanel { get; }

    /// <summary>Vectors per panel block: quality, dimensions and topics.</summary>
    public int PanelRows => 1 + Dim + Topics;

    private Catalog(int count, int topics, int dim, float[] embeddings, float[] topicMix, float[] quality, float[] topicDirections)
    {
        (Count, Topics, Dim, Embeddings, TopicMix, Quality, TopicDirections) = (count, topics, dim, embeddings, topicMix, quality, topicDirections);
        PanelWidth = System.Numerics.Vector.IsHardwareAccelerated ? System.Numerics.Vector<float>.Count : 1;
        var blocks = (count + PanelWidth - 1) / PanelWidth;
        PaddedCount = blocks * PanelWidth;
        UtilityPanel = new float[(long)blocks * PanelRows * PanelWidth];
        for (var i = 0; i < count; i++)
        {
            var at = (long)(i / PanelWidth) * PanelRows * PanelWidth + i % PanelWidth;
            UtilityPanel[at] = quality[i];
            for (var j = 0; j < dim; j++) UtilityPanel[at + (1 + j) * PanelWidth] = embeddings[(long)i * dim + j];
            for (var k = 0; k < topics; k++) UtilityPanel[at + (1 + dim + k) * PanelWidth] = topicMix[(long)i * topics + k];
        }
    }

    public ReadOnlySpan<float> Embedding(int item) => Embeddings.AsSpan(item * Dim, Dim);
    public ReadOnlySpan<float> Topic(int item) => TopicMix.AsSpan(item * Topics, Topics);

    /// <summary>Generates the catalog of a scenario from its seed.</summary>
    public static Catalog Generate(CatalogSpec spec, int seed)
    {
        var rng = SimRandom.For(seed, SimRandom.Key("catalog"));
        int n = spec.Items, t = spec.Topics, d = spec.EmbeddingDim;
        var directions = new float[t * d];
        for (var k = 0; k < t; k++) RandomUnitVector(ref rng, directions.AsSpan(k * d, d));

        var mix = new float[n * t];
        var emb = new float[n * d];
        var quality = new float[n];
        var gammas = new double[t];
        for (var i = 0; i < n; i++)
        {
            double sum = 0;
            for (var k = 0; k < t; k++) { gammas[k] = rng.NextGamma(spec.TopicConcentration) + 1e-12; sum += gammas[k]; }
            var row = emb.AsSpan(i * d, d);
            for (var k = 0; k < t; k++)
            {
                var w = (float)(gammas[k] / sum);
                mix[i * t + k] = w;
                var dir = directions.AsSpan(k * d, d);
                for (var j = 0; j < d; j++) row[j] += w * dir[j];
            }
            // A little idiosyncratic noise: two items with the same topics are still distinct.
            for (var j = 0; j < d; j++) row[j] += (float)(0.15 * rng.NextGaussian() / Math.Sqrt(d));
            Normalize(row);
            quality[i] = (float)(spec.QualityStd * rng.NextGaussian());
        }
        return new Catalog(n, t, d, emb, mix, quality, directions);
    }

    internal static void RandomUnitVector(ref SimRandom rng, Span<float> v)
    {
        for (var j = 0; j < v.Length; j++) v[j] = (float)rng.NextGaussian();
        Normalize(v);
    }

    internal static void Normalize(Span<float> v)
    {
        double s = 0;
        foreach (var x in v) s += x * x;
        var inv = s > 0 ? (float)(1 / Math.Sqrt(s)) : 0f;
        for (var j = 0; j < v.Length; j++) v[j] *= inv;
    }

    /// <summary>Mean pairwise (1 − cosine) of the embeddings in a slate; embeddings are unit-norm.</summary>
    public double Diversity(ReadOnlySpan<int> slate)
    {
        if (slate.Length < 2) return 0;
        double total = 0;
        var pairs = 0;
        for (var a = 0; a < slate.Length; a++)
        for (var b = a + 1; b < slate.Length; b++)
        {
            total += 1 - Dot(Embedding(slate[a]), Embedding(slate[b]));
            pairs++;
        }
        return total / pairs;
    }

    internal static double Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        double s = 0;
        for (var j = 0; j < x.Length; j++) s += x[j] * y[j];
        return s;
    }
}
