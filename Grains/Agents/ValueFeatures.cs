using MultiAgentRec.Simulation;

namespace MultiAgentRec.Agents;

/// <summary>
/// What a value-based agent (DQN, SlateQ) sees of a user: <see cref="PolicyFeatures"/> (the observed
/// profile and a one-hot segment, both fixed for a user) followed by the catalog embedding of the
/// user's last clicked item (zeros before the first click). The profile never changes, so without
/// the last click every next state would equal the current one; the click is what the user's
/// boredom and interest drift react to, which makes the problem sequential for the agent.
/// The trainer rebuilds the same last click from consecutive rounds of a shard's experience.
/// </summary>
public static class ValueFeatures
{
    public static int Size(World world) => PolicyFeatures.Size(world) + world.Catalog.Dim;

    /// <summary>Writes one user's state into <paramref name="row"/>; <paramref name="lastClicked"/> is an item index or −1.</summary>
    public static void Write(World world, ReadOnlySpan<float> profile, int segment, int lastClicked, Span<float> row)
    {
        var policy = PolicyFeatures.Size(world);
        PolicyFeatures.Write(profile, segment, row[..policy]);
        WriteLastClick(world, lastClicked, row[policy..]);
    }

    /// <summary>The last-click part of a state: the item's embedding, or zeros for none.</summary>
    public static void WriteLastClick(World world, int lastClicked, Span<float> part)
    {
        if (lastClicked < 0) part.Clear();
        else world.Catalog.Embedding(lastClicked).CopyTo(part);
    }
}
