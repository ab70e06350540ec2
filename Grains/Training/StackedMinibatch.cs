using static TorchSharp.torch;

namespace MultiAgentRec.Training;

/// <summary>
/// One gradient step's rows for G stacked members, padded to a common B rows: actions, logged
/// per-slot propensities and rewards [G, B, K]; <see cref="Mask"/> [G, B] is 1 for a real row and 0
/// for padding; <see cref="Rows"/> [G] counts each member's real rows (at least 1, so that a member
/// without rows in this step divides by 1 and contributes exactly 0); per-member hyper-parameters
/// [G] ride along so that agents with different settings still share one batched step
/// (<see cref="TopKCorrection"/>: 1 where the member applies the top-K multiplier, 0 where not).
/// </summary>
public sealed record StackedMinibatch(
    Tensor Actions, Tensor Propensities, Tensor Rewards, Tensor Mask, Tensor Rows,
    Tensor ImportanceCap, Tensor EntropyWeight, Tensor TopKCorrection);
