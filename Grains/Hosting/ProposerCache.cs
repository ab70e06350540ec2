using System.Collections.Concurrent;
using MultiAgentRec.Agents;
using MultiAgentRec.Contracts;

namespace MultiAgentRec.Hosting;

/// <summary>
/// Per-silo, read-only replicas of the agents' round models: the first shard of a silo that needs
/// agent X's model for round r fetches it from X's grain and builds the proposer; every other shard
/// of that silo shares it. So an agent grain answers once per silo per round, and shards on every
/// core propose in parallel from the same immutable state.
/// </summary>
public sealed class ProposerCache
{
    private readonly ConcurrentDictionary<string, (int Round, Lazy<Task<ICandidateProposer>> Proposer)> _entries = new();

    public Task<ICandidateProposer> Get(string agentKey, int round, Func<Task<ICandidateProposer>> build)
    {
        while (true)
        {
            if (_entries.TryGetValue(agentKey, out var entry))
            {
                if (entry.Round == round) return entry.Proposer.Value;
                var replacement = (round, new Lazy<Task<ICandidateProposer>>(build));
                // Only a newer round replaces an entry; a stale request (never expected) builds its own.
                if (entry.Round > round) return build();
                if (_entries.TryUpdate(agentKey, replacement, entry)) return replacement.Item2.Value;
            }
            else if (_entries.TryAdd(agentKey, (round, new Lazy<Task<ICandidateProposer>>(build))))
            {
                return _entries[agentKey].Proposer.Value;
            }
        }
    }

    /// <summary>Forgets a finished run's agents (keys start with "{runId}/").</summary>
    public void Forget(string runId)
    {
        foreach (var key in _entries.Keys)
            if (key.StartsWith(runId + "/", StringComparison.Ordinal)) _entries.TryRemove(key, out _);
    }
}
