namespace MultiAgentRec.Evaluation;

/// <summary>
/// Logged bandit feedback in the Open Bandit Dataset's shape: per row a context, the chosen item,
/// the slot it was shown in (0-based here), the click and the logging policy's propensity of that
/// (item, slot). Optionally the exact expected reward of every item at the logged slot, which only a
/// simulator knows; with it the true value of any evaluated policy is computable.
/// </summary>
public sealed class BanditFeedback
{
    public required string Source { get; init; }
    public required int Items { get; init; }
    public required int Positions { get; init; }
    public required int[] Item { get; init; }
    public required int[] Position { get; init; }
    public required double[] Reward { get; init; }
    public required double[] Propensity { get; init; }

    /// <summary>Per row: the user features (numeric as is, categorical one-hot), in [0, ContextDim).</summary>
    public required SparseVector[] Context { get; init; }
    public required int ContextDim { get; init; }

    /// <summary>Per row × item (row-major): the user's affinity to each item, or null when the log has none.</summary>
    public double[]? Affinity { get; init; }

    /// <summary>Per item: its features (numeric as is, categorical one-hot), in [0, ItemFeatureDim).</summary>
    public required SparseVector[] ItemFeatures { get; init; }
    public required int ItemFeatureDim { get; init; }

    /// <summary>Per row × item (row-major): the exact expected reward of the item at the logged slot, or null.</summary>
    public double[]? ExpectedReward { get; init; }

    public int Rows => Item.Length;
}
