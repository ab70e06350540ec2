using MultiAgentRec.Contracts;

namespace MultiAgentRec.Simulation;

/// <summary>
/// What a scenario's messages and memory will need, computed before anything runs, so that a
/// scenario too big for Orleans' message limit or for this machine's memory is refused with a clear
/// error instead of failing an hour in. All sizes are 64-bit: users × items overflows int.
/// </summary>
public static class ScenarioLimits
{
    /// <summary>Largest message allowed, far below Orleans' default 100 MiB body limit (a dropped message waits out a timeout).</summary>
    public const long MessageBudgetBytes = 16L << 20;

    /// <summary>A message-size problem: the scenario key to change, and what is wrong.</summary>
    public readonly record struct Problem(string Key, string Message);

    /// <summary>The largest message each kind of traffic will carry, by name, in bytes.</summary>
    public static IReadOnlyDictionary<string, long> MessageSizes(SimulationSpec spec)
    {
        long shard = Math.Min(spec.Users.ShardSize, spec.Users.Count), k = spec.SlateSize, items = spec.Catalog.Items;
        long features = spec.Catalog.EmbeddingDim + spec.Users.Segments;
        long candidates = Math.Min(spec.CandidatesPerAgent, items);
        var sizes = new Dictionary<string, long>
        {
            ["shard experience (users.shardSize × features)"] = shard * (features + 3 * k) * 4,
            ["shard feedback (users.shardSize × slateSize)"] = shard * k * 16,
            ["shard report (catalog.items)"] = items * 4,
        };
        foreach (var agent in spec.Agents)
        {
            if (Names.IsContextual(agent.Kind))
            {
                foreach (var (what, bytes) in LinearBanditSizes(spec, agent)) sizes[what] = bytes;
                continue;
            }
            if (Names.IsPolicyGradient(agent.Kind))
            {
                long hidden = (long)agent.Get("hiddenSize", 64), embedding = (long)agent.Get("embeddingSize", 32);
                sizes[$"policy snapshot of '{agent.Id}' (catalog.items)"] = (features * hidden + hidden + embedding * hidden + embedding + embedding * spec.Catalog.EmbeddingDim + items) * 4;
            }
            else if (Names.IsValueBased(agent.Kind))
            {
                // DQN one network, SlateQ two, over the features plus the last click's embedding (Agents.ValueFeatures).
                long hidden = (long)agent.Get("hiddenSize", 32), embedding = (long)agent.Get("embeddingSize", 16), state = features + spec.Catalog.EmbeddingDim;
                var networks = agent.Kind == Names.SlateQ ? 2 : 1;
                sizes[$"value snapshot of '{agent.Id}' (catalog.items)"] = networks * (state * hidden + hidden + embedding * hidden + embedding + embedding * spec.Catalog.EmbeddingDim + items) * 4 + 64;
            }
            else
            {
                var pool = Math.Min(items, candidates * (agent.Kind == Names.Thompson ? (long)agent.Get("poolFactor", 4) : 1));
                var kept = Math.Min(items, pool * (1 + Agents.BanditModelBuilder.TiedFactor));
                sizes[$"bandit model of '{agent.Id}' (users.segments × candidates)"] = spec.Users.Segments * kept * 16 + (spec.Users.Segments + 1) * 8 + 64;
                // Written to grain storage once per round: counts per cell and per (cell, slot), the position model's γ.
                var slots = agent.Get("positionBias", 1) != 0 ? k : 1;
                sizes[$"bandit state of '{agent.Id}' (users.segments × catalog.items × slateSize)"] = spec.Users.Segments * items * (16 + 16 * slots + 8) + 64;
            }
        }
        return sizes;
    }

    /// <summary>
    /// A linear bandit's round model (per item θ, the packed A⁻¹ and, hybrid, C = A⁻¹B, in floats, plus
    /// a width per segment and item) and its stored state (the same statistics in doubles, plus one
    /// round's unfolded impressions, as grain storage's JSON writes them): both grow with
    /// items × (embeddingDim + segments)².
    /// </summary>
    public static IEnumerable<(string What, long Bytes)> LinearBanditSizes(SimulationSpec spec, AgentSpec agent)
    {
        long items = spec.Catalog.Items, segments = spec.Users.Segments, d = spec.Catalog.EmbeddingDim + segments;
        long k = agent.Kind == Names.LinUcbHybrid ? spec.Catalog.EmbeddingDim : 0;
        long packed = d * (d + 1) / 2;
        var model = (items * (d + packed + d * k + segments) + k + k * (k + 1) / 2 + segments) * 4 + 128;
        // Grain storage writes JSON: the statistics as base64 bytes, the pending rows as numbers.
        var stored = (long)((items * (packed + d + d * k) + k * k + k + segments * (d + 1)) * Agents.LinearBanditState.StoredBytesPerDouble
            + (long)spec.Users.Count * (d + 3L * spec.SlateSize) * Agents.LinearBanditState.StoredBytesPerFloat);
        yield return ($"contextual bandit model of '{agent.Id}' (catalog.items × (embeddingDim + segments)²)", model);
        yield return ($"stored state of '{agent.Id}' (catalog.items × (embeddingDim + segments)²)", stored);
    }

    /// <summary>Every way the scenario's messages would exceed <see cref="MessageBudgetBytes"/>.</summary>
    public static List<Problem> MessageProblems(SimulationSpec spec)
    {
        var problems = new List<Problem>();
        if ((long)spec.Users.Segments * spec.Catalog.Items > int.MaxValue)
            problems.Add(new("catalog.items", $"users.segments × catalog.items = {(long)spec.Users.Segments * spec.Catalog.Items:N0} exceeds {int.MaxValue:N0}, the bandits' (segment, item) cell range"));
        foreach (var (what, bytes) in MessageSizes(spec))
            if (bytes > MessageBudgetBytes)
                problems.Add(new(what.Contains("users.shardSize", StringComparison.Ordinal) ? "users.shardSize" : "catalog.items",
                    $"a {what} message would be {Mib(bytes)}, above the {Mib(MessageBudgetBytes)} allowed per message"));
        return problems;
    }

    /// <summary>
    /// Bytes a run of the whole scenario on one embedded silo needs at its peak, estimated from the
    /// sizes of what it holds: users, per-round shard buffers, bandit statistics, the trainer's
    /// experience and tensors, the catalog, and the runtime itself. An estimate, on the generous side.
    /// </summary>
    public static long EstimateMemoryBytes(SimulationSpec spec)
    {
        long users = UserCohort.TotalUsers(spec), items = spec.Catalog.Items, d = spec.Catalog.EmbeddingDim, t = spec.Catalog.Topics;
        long k = spec.SlateSize, segments = spec.Users.Segments, shard = Math.Min(spec.Users.ShardSize, users);
        long features = d + segments;
        long candidates = Math.Min(spec.CandidatesPerAgent, items);
        const long runtime = 300L << 20;                      // .NET, Orleans, TorchSharp's native library
        long perUser = 220 + 8 * d + 4 * t;                   // a SimulatedUser and its three small arrays
        long perShardRound = shard * (k * 8 + features * 4 + 16) + items * 8;
        long catalog = items * (d + t) * 8 + items * 8;
        long total = runtime + catalog;
        var concurrentShards = Math.Max(1, Environment.ProcessorCount) * 4L;
        foreach (var arm in spec.Arms)
        {
            var agents = Arms.ArmAgents.Of(spec, arm);
            total += users * perUser + 64L * spec.ShardCount;
            total += Math.Min(spec.ShardCount, concurrentShards) * (perShardRound + agents.Length * shard * candidates * 8);
            foreach (var agent in agents)
            {
                if (Names.IsContextual(agent.Kind))
                {
                    // The statistics in full d×d form, the stored copy, and a model per silo.
                    total += 3 * LinearBanditSizes(spec, agent).Sum(s => s.Bytes);
                    continue;
                }
                if (Names.IsPolicyGradient(agent.Kind))
                {
                    // Experience held between updates, then copied into arrays and tensors for training.
                    var rows = users * spec.Trainer.EveryRounds;
                    total += rows * (features + 3 * k) * 4 * 3 + rows * k * 8;
                }
                else if (Names.IsValueBased(agent.Kind))
                {
                    // Pending experience as above, each user's last state and slate, and the bounded replay.
                    var rows = users * spec.Trainer.EveryRounds;
                    long state = features + d;
                    total += rows * (features + 3 * k) * 4 + users * (state + k + 2) * 4;
                    total += (long)agent.Get("replayCapacity", 50_000) * (2 * state + 2 * k + 1) * 4;
                }
                else
                {
                    // Counts, exposures, per-slot counts and γ, and the copy written to grain storage.
                    total += segments * items * (16 + 8 + 16 * k + 8) * 2;
                }
            }
        }
        return total;
    }

    /// <summary>Memory this process may use: the machine's, or its container's limit.</summary>
    public static long AvailableMemoryBytes() => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;

    public static string Mib(long bytes) => bytes >= 1L << 30 ? $"{bytes / (double)(1L << 30):F1} GiB" : $"{bytes / (double)(1L << 20):F1} MiB";
}
