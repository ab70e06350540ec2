namespace MultiAgentRec.Training;

/// <summary>Rows drawn from a <see cref="ReplayBuffer"/>, laid out row-major for tensors (slates as longs, for gather).</summary>
public sealed class ReplayMinibatch(int rows, int stateSize, int slateSize)
{
    public int Rows { get; } = rows;
    public int StateSize { get; } = stateSize;
    public int SlateSize { get; } = slateSize;
    public float[] States { get; } = new float[rows * stateSize];
    public float[] NextStates { get; } = new float[rows * stateSize];
    public long[] Slates { get; } = new long[rows * slateSize];
    public long[] NextSlates { get; } = new long[rows * slateSize];
    /// <summary>The clicked slot of each row, or −1 when the user clicked nothing.</summary>
    public int[] Clicked { get; } = new int[rows];
}
