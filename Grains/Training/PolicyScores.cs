using static TorchSharp.torch;

namespace MultiAgentRec.Training;

/// <summary>
/// The logits a policy-gradient loss needs for G stacked members and B rows, without necessarily
/// scoring the whole catalog: <see cref="Slate"/> [G, B, K], the logits of each row's logged slate;
/// <see cref="Other"/> [G, B, M], the logits of M further items; <see cref="OtherLogWeight"/>
/// [G, B, M], the log of how many catalog items each of those stands for (−∞ for one that is also
/// in the row's slate, so it is not counted twice), for a sampled softmax over a uniform sample of
/// the catalog (<see cref="SampledSoftmax"/>). Without weights (null), <see cref="Other"/> holds the
/// whole catalog's logits, the slate's included: the exact softmax; <see cref="Normalized"/> says they
/// are already log probabilities (log_softmax, one fused kernel), so the normaliser is 0.
/// </summary>
public sealed record PolicyScores(Tensor Slate, Tensor Other, Tensor? OtherLogWeight, bool Normalized = false);
