using MultiAgentRec.Contracts;
using MultiAgentRec.Simulation;
using static TorchSharp.torch;

namespace MultiAgentRec.Agents;

/// <summary>
/// The networks of the value-based agents. Each is the two-tower network of REINFORCE
/// (<see cref="ReinforcePolicyNetwork"/>: user tower over <see cref="ValueFeatures"/>, item tower over
/// the catalog embeddings, plus a per-item bias), its outputs read as item-wise values rather than
/// logits: DQN's Q(s, i); SlateQ's long-term value Q̄(s, i) and, in a second network, its
/// conditional-logit choice score v(s, i). Reusing the architecture lets the shards score a
/// snapshot with <see cref="PolicyScorer"/>'s plain forward pass.
/// A snapshot holds each network's tensors under a prefix ("q.", "choice.") and SlateQ's no-click
/// score as the one-element tensor "noClick".
/// </summary>
public static class ValueNetworks
{
    public const string Q = "q";
    public const string Choice = "choice";
    public const string NoClick = "noClick";

    /// <summary>
    /// A network of role <paramref name="role"/> for an agent, with Glorot-uniform weights and zero
    /// biases drawn from the run's seed, so the agent grain and the trainer start from the same
    /// parameters without sharing state.
    /// </summary>
    public static ReinforcePolicyNetwork Create(World world, AgentSpec spec, string role)
    {
        var c = world.Catalog;
        var net = new ReinforcePolicyNetwork(ValueFeatures.Size(world), (int)spec.Get("hiddenSize", 32), (int)spec.Get("embeddingSize", 16), c.Embeddings, c.Count, c.Dim);
        net.InitializeGlorot(SimRandom.For(world.Seed, SimRandom.Key("value-init"), SimRandom.Key(spec.Id), SimRandom.Key(role)));
        return net;
    }

    /// <summary>The tensors of <paramref name="network"/>, each name prefixed with "<paramref name="role"/>.".</summary>
    public static IEnumerable<NamedTensor> Tensors(ReinforcePolicyNetwork network, string role) =>
        network.Snapshot(0).Tensors.Select(t => t with { Name = $"{role}.{t.Name}" });

    /// <summary>The part of a snapshot that belongs to one network, with the prefix removed.</summary>
    public static PolicySnapshot Part(PolicySnapshot snapshot, string role)
    {
        var prefix = role + ".";
        var tensors = snapshot.Tensors.Where(t => t.Name.StartsWith(prefix, StringComparison.Ordinal))
            .Select(t => t with { Name = t.Name[prefix.Length..] }).ToArray();
        if (tensors.Length == 0) throw new InvalidOperationException($"value snapshot has no '{role}' network");
        return new PolicySnapshot(snapshot.Version, tensors);
    }

    /// <summary>The snapshot an agent of kind dqn or slateq starts from (version 0), before the trainer pushes any.</summary>
    public static PolicySnapshot Initial(World world, AgentSpec spec)
    {
        using var q = Create(world, spec, Q);
        if (spec.Kind != Names.SlateQ) return new PolicySnapshot(0, [.. Tensors(q, Q)]);
        using var choice = Create(world, spec, Choice);
        return new PolicySnapshot(0, [.. Tensors(q, Q), .. Tensors(choice, Choice), new NamedTensor(NoClick, [1], [0f])]);
    }
}
