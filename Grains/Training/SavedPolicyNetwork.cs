using MultiAgentRec.Agents;
using MultiAgentRec.Contracts;
using MultiAgentRec.Simulation;

namespace MultiAgentRec.Training;

/// <summary>
/// Reads a network saved by <c>train-offline</c> (TorchSharp's <c>save</c>) the way a scenario's
/// <c>warmStart:</c> does, shaped by the agent's hyper-parameters, and returns its parameters as a
/// snapshot, so callers score with <see cref="PolicyScorer"/> and hold no TorchSharp objects.
/// </summary>
public static class SavedPolicyNetwork
{
    /// <summary>
    /// The saved parameters. Throws <see cref="InvalidDataException"/> with a one-line message when the
    /// file is missing or is not a network of this agent's shape (another scenario's, another
    /// hidden size, not a TorchSharp file), and <see cref="TorchUnavailableException"/> when TorchSharp cannot load.
    /// </summary>
    public static PolicySnapshot Load(World world, AgentSpec agent, string path)
    {
        if (!File.Exists(path)) throw new InvalidDataException($"{path}: file not found");
        TorchRuntime.EnsureAvailable();
        try
        {
            using var network = ReinforcePolicyNetwork.Create(world, agent with { WarmStart = path });
            return network.Snapshot(0);
        }
        // TorchSharp reports a foreign or truncated file, and a parameter of another shape, with
        // these; the first line of its message is enough to see which.
        catch (Exception e) when (e is IOException or ArgumentException or InvalidOperationException or FormatException or NotSupportedException or UnauthorizedAccessException)
        {
            var first = e.Message.Split('\n', 2)[0].Trim();
            throw new InvalidDataException(
                $"{path}: cannot load it as the network of agent '{agent.Id}' of this scenario ({first}); save one with train-offline on this scenario", e);
        }
    }
}
