using MultiAgentRec.Simulation;

namespace MultiAgentRec.Training;

/// <summary>
/// A bounded experience replay of slate transitions (s, slate shown, clicked slot or −1, s', next
/// slate shown): a ring that overwrites its oldest row once full, sampled uniformly with replacement
/// from a caller's seeded stream, so training is repeatable. Memory: capacity × (2·state + 2·slate + 1) × 4 bytes.
/// </summary>
public sealed class ReplayBuffer
{
    private readonly float[] _states, _nextStates;
    private readonly int[] _slates, _nextSlates, _clicked;
    private int _next;

    public ReplayBuffer(int capacity, int stateSize, int slateSize)
    {
        if (capacity < 1) throw new ArgumentOutOfRangeException(nameof(capacity), "the replay buffer needs room for at least one transition");
        (Capacity, StateSize, SlateSize) = (capacity, stateSize, slateSize);
        _states = new float[(long)capacity * stateSize];
        _nextStates = new float[(long)capacity * stateSize];
        _slates = new int[(long)capacity * slateSize];
        _nextSlates = new int[(long)capacity * slateSize];
        _clicked = new int[capacity];
    }

    public int Capacity { get; }
    public int StateSize { get; }
    public int SlateSize { get; }
    public int Count { get; private set; }

    public void Add(ReadOnlySpan<float> state, ReadOnlySpan<int> slate, int clicked, ReadOnlySpan<float> nextState, ReadOnlySpan<int> nextSlate)
    {
        var r = _next;
        state.CopyTo(_states.AsSpan(r * StateSize, StateSize));
        nextState.CopyTo(_nextStates.AsSpan(r * StateSize, StateSize));
        slate.CopyTo(_slates.AsSpan(r * SlateSize, SlateSize));
        nextSlate.CopyTo(_nextSlates.AsSpan(r * SlateSize, SlateSize));
        _clicked[r] = clicked;
        _next = (_next + 1) % Capacity;
        Count = Math.Min(Count + 1, Capacity);
    }

    /// <summary>Writes the buffer (shape, ring position, rows) for a checkpoint.</summary>
    public void Save(BinaryWriter writer)
    {
        writer.Write(Capacity); writer.Write(StateSize); writer.Write(SlateSize); writer.Write(_next); writer.Write(Count);
        Checkpoints.Write(writer, _states); Checkpoints.Write(writer, _nextStates);
        Checkpoints.Write(writer, _slates); Checkpoints.Write(writer, _nextSlates); Checkpoints.Write(writer, _clicked);
    }

    /// <summary>Reads what <see cref="Save"/> wrote; throws <see cref="InvalidDataException"/> for a buffer of another shape.</summary>
    public void Load(BinaryReader reader)
    {
        var (capacity, state, slate) = (reader.ReadInt32(), reader.ReadInt32(), reader.ReadInt32());
        if ((capacity, state, slate) != (Capacity, StateSize, SlateSize))
            throw new InvalidDataException($"a replay of {capacity} × ({state}, {slate}) does not fit one of {Capacity} × ({StateSize}, {SlateSize})");
        (_next, Count) = (reader.ReadInt32(), reader.ReadInt32());
        Checkpoints.Read(reader, _states); Checkpoints.Read(reader, _nextStates);
        Checkpoints.Read(reader, _slates); Checkpoints.Read(reader, _nextSlates); Checkpoints.Read(reader, _clicked);
    }

    /// <summary>Draws <paramref name="size"/> rows uniformly (with replacement) into a minibatch.</summary>
    public ReplayMinibatch Sample(int size, ref SimRandom rng)
    {
        if (Count == 0) throw new InvalidOperationException("cannot sample an empty replay buffer");
        var batch = new ReplayMinibatch(size, StateSize, SlateSize);
        for (var b = 0; b < size; b++)
        {
            var r = rng.NextInt(Count);
            _states.AsSpan(r * StateSize, StateSize).CopyTo(batch.States.AsSpan(b * StateSize));
            _nextStates.AsSpan(r * StateSize, StateSize).CopyTo(batch.NextStates.AsSpan(b * StateSize));
            for (var j = 0; j < SlateSize; j++)
            {
                batch.Slates[b * SlateSize + j] = _slates[r * SlateSize + j];
                batch.NextSlates[b * SlateSize + j] = _nextSlates[r * SlateSize + j];
            }
            batch.Clicked[b] = _clicked[r];
        }
        return batch;
    }
}
