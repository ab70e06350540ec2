using MultiAgentRec.Contracts;
using MultiAgentRec.Simulation;

namespace MultiAgentRec.Agents;

/// <summary>A user's pool from a <see cref="BanditModel"/>: the segment's ranked items, then a random sample of its tied ones.</summary>
internal static class BanditPools
{
    /// <summary>
    /// Writes the positions (into the model's arrays) of the user's <c>model.Pool</c> items into
    /// <paramref name="pool"/>, ranked ones first; returns how many were written. The tied ones are a
    /// uniformly random subset (Floyd's algorithm: one draw per pick, no catalog-sized scratch).
    /// </summary>
    public static int Fill(BanditModel model, int segment, ref SimRandom rng, Span<int> pool)
    {
        int start = model.Starts[segment], tied = model.TiedStarts[segment], end = model.Starts[segment + 1];
        var count = 0;
        for (var i = start; i < tied && count < pool.Length; i++) pool[count++] = i;
        var tiedCount = end - tied;
        var want = Math.Min(pool.Length - count, tiedCount);
        var first = count;
        for (var j = tiedCount - want; j < tiedCount; j++)
        {
            var pick = tied + rng.NextInt(j + 1);
            var chosen = pool[first..count].Contains(pick) ? tied + j : pick;
            pool[count++] = chosen;
        }
        return count;
    }
}
