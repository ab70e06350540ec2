using MultiAgentRec.Simulation;

namespace MultiAgentRec.Agents;

/// <summary>What a policy network sees of a user: the observed profile plus a one-hot segment.</summary>
public static class PolicyFeatures
{
    public static int Size(World world) => world.Catalog.Dim + world.Spec.Users.Segments;

    /// <summary>Writes one user's features into <paramref name="row"/>.</summary>
    public static void Write(ReadOnlySpan<float> profile, int segment, Span<float> row)
    {
        row.Clear();
        profile.CopyTo(row);
        row[profile.Length + segment] = 1;
    }
}
