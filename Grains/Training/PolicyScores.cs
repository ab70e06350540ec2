using static TorchSharp.torch;

namespace MultiAgentRec.Training;

/// <summary>
/// The scores a policy-gradient loss needs for G stacked members and B rows, in one of two forms:
/// <list type="bullet">
/// <item><see cref="Exact"/>: log probabilities over the whole catalog (log_softmax, one fused kernel),
/// <see cref="Other"/> [G, B, N], and the slate's [G, B, K] gathered from them; the normaliser is 0.</item>
/// <item><see cref="Sampled"/>: the logits of each row's logged slate (<see cref="Slate"/> [G, B, K]),
/// the logits of M further items (<see cref="Other"/> [G, B, M]) and <see cref="OtherLogWeight"/>
/// [G, B, M], the log of how many catalog items each of those stands for (−∞ for one that is also in
/// the row's slate, so it is not counted twice): a sampled softmax over a uniform sample of the
/// catalog (<see cref="SampledSoftmax"/>).</item>
/// </list>
/// </summary>
public sealed record PolicyScores
{
    private PolicyScores(Tensor slate, Tensor other, Tensor? otherLogWeight) => (Slate, Other, OtherLogWeight) = (slate, other, otherLogWeight);

    /// <summary>The slate's scores [G, B, K]: log probabilities under <see cref="Exact"/>, logits under <see cref="Sampled"/>.</summary>
    public Tensor Slate { get; init; }

    /// <summary>The whole catalog's log probabilities (<see cref="Exact"/>) or the drawn items' logits (<see cref="Sampled"/>).</summary>
    public Tensor Other { get; init; }

    /// <summary>Null under <see cref="Exact"/>; the drawn items' log weights under <see cref="Sampled"/>.</summary>
    public Tensor? OtherLogWeight { get; init; }

    /// <summary>The exact softmax: <paramref name="logProbabilities"/> [G, B, N] and the slate <paramref name="actions"/> [G, B, K] to gather.</summary>
    public static PolicyScores Exact(Tensor logProbabilities, Tensor actions) => new(logProbabilities.gather(2, actions), logProbabilities, null);

    /// <summary>A sampled softmax: slate logits, drawn items' logits and their log weights (<see cref="SampledSoftmax.SampledLogWeights"/>).</summary>
    public static PolicyScores Sampled(Tensor slateLogits, Tensor drawnLogits, Tensor drawnLogWeights) => new(slateLogits, drawnLogits, drawnLogWeights);
}
