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
                _order.Enqueue(agentKey);
                Trim();
                return _entries.TryGetValue(agentKey, out var added) ? added.Proposer.Value : build();
            }
        }
    }

    /// <summary>Agents whose proposers this silo holds now.</summary>
    public int Count => _entries.Count;

    /// <summary>Agents whose models a silo keeps: many runs' worth. A silo that serves run after run drops the oldest first.</summary>
    public const int Capacity = 256;

    private readonly ConcurrentQueue<string> _order = new();

    // Keys are unique per run, so a long-lived silo would otherwise keep every past run's proposers.
    private void Trim()
    {
        while (_entries.Count > Capacity && _order.TryDequeue(out var oldest)) _entries.TryRemove(oldest, out _);
    }
}
