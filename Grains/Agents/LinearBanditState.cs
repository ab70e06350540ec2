using MultiAgentRec.Contracts;

namespace MultiAgentRec.Agents;

/// <summary>
/// A linear bandit's learned state as stored through Orleans persistence: the sufficient statistics
/// as raw little-endian doubles (inverses packed), so a restored agent builds bit-for-bit the same
/// models; the last round folded in; and the feedback received but not yet folded. Raw bytes because
/// grain storage serializes to JSON by default, where a double costs ~20 characters and a byte
/// array, as base64, 8 bytes ≈ 10.7.
/// </summary>
[GenerateSerializer, Alias("mar.v1.LinearBanditState")]
public sealed class LinearBanditState
{
    /// <summary>Rounds 0..FoldedThrough are in the statistics; −1 for a fresh agent.</summary>
    [Id(0)] public int FoldedThrough { get; set; } = -1;
    /// <summary>A⁻¹ (packed), b, B, Σzzᵀ, Σr·z, context sums and counts, concatenated in that order.</summary>
    [Id(1)] public byte[] Statistics { get; set; } = [];
    [Id(2)] public TrajectoryBatch[] Pending { get; set; } = [];

    /// <summary>Whether this holds anything (a grain's state before its first write does not).</summary>
    public bool IsEmpty => Statistics.Length == 0;

    /// <summary>Bytes per stored double once grain storage writes <see cref="Statistics"/> as base64 (4 characters per 3 bytes).</summary>
    public const double StoredBytesPerDouble = 8 * 4 / 3.0;

    /// <summary>Bytes per float of the pending feedback once written as JSON numbers (shortest round-trip form, a separator).</summary>
    public const double StoredBytesPerFloat = 12;
}
