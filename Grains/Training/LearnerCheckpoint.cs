using static TorchSharp.torch;

namespace MultiAgentRec.Training;

/// <summary>
/// A TorchSharp module that only carries named tensors as buffers, so one learner's state (parameters,
/// Adam moments, version) is written and read with TorchSharp's own <c>save</c>/<c>load</c>, which
/// check every name and shape on the way back in.
/// </summary>
internal sealed class LearnerCheckpoint : nn.Module
{
    public const string MetaName = "meta";

    public LearnerCheckpoint(IEnumerable<(string Name, Tensor Tensor)> tensors) : base(nameof(LearnerCheckpoint))
    {
        foreach (var (name, t) in tensors) register_buffer(name, t.detach().cpu().clone());
    }

    public Dictionary<string, Tensor> Buffers() => named_buffers().ToDictionary(b => b.name, b => b.buffer);
}
