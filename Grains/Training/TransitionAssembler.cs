using MultiAgentRec.Agents;
using MultiAgentRec.Contracts;
using MultiAgentRec.Simulation;

namespace MultiAgentRec.Training;

/// <summary>
/// Turns a shard's consecutive rounds of experience into transitions. Row u of a shard's batch is the
/// same user every round, so round r's row u (state, slate, click) and round r+1's row u (next state,
/// next slate) make one transition, added to the replay when round r+1 arrives. The state is
/// <see cref="ValueFeatures"/>: the batch's features plus the embedding of the user's last click,
/// which this class tracks per row from the rewards exactly as the user's own history does.
/// Terminal handling: none. Users persist across sessions (a session end resets boredom but the
/// user comes back next round) and the batch does not say where a session ended, so every
/// transition bootstraps from the next round: a continuing task discounted by γ. The last round's
/// experience of a run never gets a next state and is never trained on.
/// </summary>
public sealed class TransitionAssembler(World world)
{
    private sealed class ShardHistory(int rows, int stateSize, int slateSize)
    {
        public int Round = -1;
        public readonly float[] States = new float[rows * stateSize];
        public readonly int[] Slates = new int[rows * slateSize];
        public readonly int[] Clicked = new int[rows];
        public readonly int[] LastClick = Enumerable.Repeat(-1, rows).ToArray();
    }

    private readonly Dictionary<int, ShardHistory> _shards = [];
    private readonly int _stateSize = ValueFeatures.Size(world);

    /// <summary>Writes every shard's last round (for a checkpoint), shards in order.</summary>
    public void Save(BinaryWriter writer)
    {
        writer.Write(_shards.Count);
        foreach (var (shard, h) in _shards.OrderBy(p => p.Key))
        {
            writer.Write(shard); writer.Write(h.Clicked.Length); writer.Write(h.Slates.Length / Math.Max(1, h.Clicked.Length)); writer.Write(h.Round);
            Checkpoints.Write(writer, h.States); Checkpoints.Write(writer, h.Slates); Checkpoints.Write(writer, h.Clicked); Checkpoints.Write(writer, h.LastClick);
        }
    }

    /// <summary>Forgets every shard's last round: the next batches start new transitions (a new run's round 0).</summary>
    public void Clear() => _shards.Clear();

    /// <summary>Replaces the shards' histories with what <see cref="Save"/> wrote.</summary>
    public void Load(BinaryReader reader)
    {
        _shards.Clear();
        var count = reader.ReadInt32();
        for (var i = 0; i < count; i++)
        {
            var (shard, rows, slate) = (reader.ReadInt32(), reader.ReadInt32(), reader.ReadInt32());
            var h = new ShardHistory(rows, _stateSize, slate) { Round = reader.ReadInt32() };
            Checkpoints.Read(reader, h.States); Checkpoints.Read(reader, h.Slates); Checkpoints.Read(reader, h.Clicked); Checkpoints.Read(reader, h.LastClick);
            _shards[shard] = h;
        }
    }

    /// <summary>
    /// Adds one shard's round; returns the transitions it completed (one per row once the shard's
    /// previous round is known, else none). Batches of a shard must come in consecutive rounds.
    /// </summary>
    public int Add(TrajectoryBatch batch, ReplayBuffer replay)
    {
        int rows = batch.Rows, k = batch.SlateSize, policy = batch.FeatureDim;
        if (policy + world.Catalog.Dim != _stateSize)
            throw new InvalidOperationException($"experience has {policy} features per row; a value agent expects {_stateSize - world.Catalog.Dim}");
        if (!_shards.TryGetValue(batch.Shard, out var history))
            _shards[batch.Shard] = history = new ShardHistory(rows, _stateSize, k);
        var hasPrevious = history.Round >= 0;
        if (hasPrevious && batch.Round != history.Round + 1)
            throw new InvalidOperationException($"shard {batch.Shard} sent round {batch.Round} after round {history.Round}; transitions need consecutive rounds");

        var state = new float[_stateSize];
        var added = 0;
        for (var u = 0; u < rows; u++)
        {
            batch.Features.AsSpan(u * policy, policy).CopyTo(state);
            ValueFeatures.WriteLastClick(world, history.LastClick[u], state.AsSpan(policy));
            var slate = batch.Actions.AsSpan(u * k, k);
            if (hasPrevious)
            {
                replay.Add(history.States.AsSpan(u * _stateSize, _stateSize), history.Slates.AsSpan(u * k, k), history.Clicked[u], state, slate);
                added++;
            }
            state.CopyTo(history.States.AsSpan(u * _stateSize, _stateSize));
            slate.CopyTo(history.Slates.AsSpan(u * k, k));
            var clicked = -1;
            for (var j = 0; j < k; j++) if (batch.Rewards[u * k + j] > 0) clicked = j;
            history.Clicked[u] = clicked;
            if (clicked >= 0) history.LastClick[u] = slate[clicked];
        }
        history.Round = batch.Round;
        return added;
    }
}
