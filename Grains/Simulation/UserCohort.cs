using MultiAgentRec.Contracts;

namespace MultiAgentRec.Simulation;

/// <summary>
/// A cohort of cold-start users that joins at <c>Round</c>: users numbered
/// <c>FirstUser</c>..<c>FirstUser + Count − 1</c>, after the scenario's own users and earlier cohorts.
/// </summary>
public sealed record UserCohort(int Index, int Round, int FirstUser, int Count)
{
    /// <summary>The scenario's cohorts in joining order (round, then file order).</summary>
    public static UserCohort[] Of(SimulationSpec spec)
    {
        var cohorts = new List<UserCohort>();
        var next = spec.Users.Count;
        foreach (var e in spec.EventList.Where(e => e.Kind == ScenarioEvent.Cohort).OrderBy(e => e.Round))
        {
            cohorts.Add(new UserCohort(cohorts.Count, e.Round, next, e.Count));
            next += e.Count;
        }
        return [.. cohorts];
    }

    /// <summary>User steps one arm takes over the run: the scenario's users every round, each cohort's from its round.</summary>
    public static long StepsPerArm(SimulationSpec spec) => (long)spec.Users.Count * spec.Rounds + Of(spec).Sum(c => (long)c.Count * (spec.Rounds - c.Round));

    /// <summary>Every user the run will ever have: the scenario's and every cohort's.</summary>
    public static long TotalUsers(SimulationSpec spec) => spec.Users.Count + Of(spec).Sum(c => (long)c.Count);
}
