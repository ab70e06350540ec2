using System.Collections.Concurrent;
using MultiAgentRec.Contracts;
using MultiAgentRec.Simulation;

namespace MultiAgentRec.Hosting;

/// <summary>
/// One World per run per silo, built on first use from the spec held by the run grain. Catalogs
/// and centroids are derived from the seed, so every silo builds the same world and no grain
/// message ever carries the catalog.
/// </summary>
public sealed class WorldCache(IGrainFactory grains)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<World>>> _worlds = new();

    public Task<World> Get(string runId) => _worlds.GetOrAdd(runId, id => new Lazy<Task<World>>(() => Load(id))).Value;

    private async Task<World> Load(string runId)
    {
        var spec = await grains.GetGrain<IRunGrain>(runId).GetSpec()
            ?? throw new InvalidOperationException($"run '{runId}' was never registered");
        return new World(spec);
    }
}

/// <summary>How grain keys are composed: "{runId}/{arm}/{index or agentId}".</summary>
public static class GrainKeys
{
    public static string User(string runId, string arm, int index) => $"{runId}/{arm}/{index}";
    public static string Agent(string runId, string arm, string agentId) => $"{runId}/{arm}/{agentId}";
    public static string Arm(string runId, string arm) => $"{runId}/{arm}";
    public static string Shard(string runId, string arm, int shard) => $"{runId}/{arm}/{shard}";

    /// <summary>Splits a user or agent key into run id, arm and last part.</summary>
    public static (string RunId, string Arm, string Last) Parse(string key)
    {
        var first = key.IndexOf('/');
        var last = key.LastIndexOf('/');
        if (first < 0 || last == first) throw new ArgumentException($"malformed grain key '{key}'", nameof(key));
        return (key[..first], key[(first + 1)..last], key[(last + 1)..]);
    }

    /// <summary>Splits a coordinator key into run id and arm.</summary>
    public static (string RunId, string Arm) ParseArm(string key)
    {
        var first = key.IndexOf('/');
        if (first < 0) throw new ArgumentException($"malformed arm key '{key}'", nameof(key));
        return (key[..first], key[(first + 1)..]);
    }
}
