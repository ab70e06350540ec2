namespace MultiAgentRec.Contracts;

/// <summary>
/// A timed event of a scenario (<c>events:</c>): from the start of round <c>Round</c> on, segment
/// centroids move, new items become available, a cohort of cold-start users joins, or an agent of
/// the ensemble starts or stops proposing. Only the fields of its <c>Kind</c> are meaningful.
/// </summary>
[GenerateSerializer, Immutable, Alias("mar.v1.ScenarioEvent")]
public sealed record ScenarioEvent(
    [property: Id(0)] int Round,
    [property: Id(1)] string Kind,
    [property: Id(2)] int[] Segments,
    [property: Id(3)] double Amount,
    [property: Id(4)] int Count,
    [property: Id(5)] string AgentId)
{
    /// <summary>The centroids of <c>Segments</c> move <c>Amount</c> of the way to freshly drawn ones; their users' interests follow.</summary>
    public const string PreferenceShift = "preferenceShift";

    /// <summary><c>Count</c> items of the catalog (its highest-numbered ones not yet released) become available.</summary>
    public const string NewItems = "newItems";

    /// <summary><c>Count</c> cold-start users join, in shards of their own.</summary>
    public const string Cohort = "cohort";

    /// <summary>Agent <c>AgentId</c> starts proposing in the ensemble.</summary>
    public const string AddAgent = "addAgent";

    /// <summary>Agent <c>AgentId</c> stops proposing in the ensemble.</summary>
    public const string RemoveAgent = "removeAgent";

    /// <summary>Every event kind, as written in a scenario.</summary>
    public static readonly string[] Kinds = [PreferenceShift, NewItems, Cohort, AddAgent, RemoveAgent];

    public static ScenarioEvent ShiftPreferences(int round, int[] segments, double amount) => new(round, PreferenceShift, segments, amount, 0, "");
    public static ScenarioEvent ReleaseItems(int round, int count) => new(round, NewItems, [], 0, count, "");
    public static ScenarioEvent JoinCohort(int round, int users) => new(round, Cohort, [], 0, users, "");
    public static ScenarioEvent Add(int round, string agentId) => new(round, AddAgent, [], 0, 0, agentId);
    public static ScenarioEvent Remove(int round, string agentId) => new(round, RemoveAgent, [], 0, 0, agentId);
}
