namespace MultiAgentRec.Coordination;

/// <summary>
/// One agent's proposals for a shard's users: per user at most <see cref="PerUser"/> items with
/// scores, best first, plus the mean and standard deviation of the agent's scores over the whole
/// catalog, so that aggregation can standardise candidates exactly as it would a full row. Reused
/// across rounds: its size is users × candidates, never users × catalog.
/// </summary>
public sealed class CandidateSet
{
    public CandidateSet(int users, int perUser)
    {
        PerUser = perUser;
        Items = new int[(long)users * perUser];
        Scores = new float[(long)users * perUser];
        Counts = new int[users];
        RowMean = new float[users];
        RowSd = new float[users];
    }

    public int PerUser { get; }
    public int Users => Counts.Length;
    public int[] Items { get; }
    public float[] Scores { get; }
    public int[] Counts { get; }
    public float[] RowMean { get; }
    public float[] RowSd { get; }

    public ReadOnlySpan<int> ItemsOf(int user) => Items.AsSpan(user * PerUser, Counts[user]);
    public ReadOnlySpan<float> ScoresOf(int user) => Scores.AsSpan(user * PerUser, Counts[user]);

    /// <summary>Writable candidate items of one user; call <see cref="Set"/> afterwards with the count written.</summary>
    public Span<int> ItemRow(int user) => Items.AsSpan(user * PerUser, PerUser);

    /// <summary>Writable candidate scores of one user, matching <see cref="ItemRow"/>.</summary>
    public Span<float> ScoreRow(int user) => Scores.AsSpan(user * PerUser, PerUser);

    public void Set(int user, int count, float rowMean, float rowSd)
    {
        Counts[user] = count;
        RowMean[user] = rowMean;
        RowSd[user] = Math.Max(rowSd, Standardizer.MinSd);
    }
}
