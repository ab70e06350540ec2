namespace MultiAgentRec.Evaluation;

/// <summary>
/// A sparse feature vector (indices ascending, no duplicates). Logged contexts are mostly one-hot
/// categories and zero affinities, so a row has tens of non-zeros out of hundreds of features, and the
/// reward model's Newton steps cost the square of the non-zeros, not of the dimension.
/// </summary>
public sealed record SparseVector(int[] Indices, double[] Values)
{
    public static readonly SparseVector Empty = new([], []);

    public int Count => Indices.Length;
}
