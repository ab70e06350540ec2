using static TorchSharp.torch;

namespace MultiAgentRec.Training;

/// <summary>
/// The logits a policy-gradient loss needs for G stacked members and B rows, without necessarily
/// scoring the whole catalog: <see cref="Slate"/> [G, B, K], the logits of each row's logged slate;
/// <see cref="Other"/> [G, B, M], the logits of M further items; <see cref="OtherLogWeight"/>
/// [G, B, M], the log of how many catalog items each of those stands for (−∞ for one that is also
/// in the row's slate, so it is not counted twice). With every item as "other" and weight 1 this is
/// the exact softmax; with a uniform sample of the catalog it is a sampled softmax
/// (<see cref="SampledSoftmax"/>).
/// </summary>
public sealed record PolicyScores(Tensor Slate, Tensor Other, Tensor OtherLogWeight);
