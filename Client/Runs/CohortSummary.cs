using MultiAgentRec.Contracts;
using MultiAgentRec.Simulation;

namespace MultiAgentRec.Client.Runs;

/// <summary>One cold-start cohort in one arm: its rates over all its steps, and by interaction index (its users' 1st, 2nd, … step).</summary>
public sealed record CohortCurve(long Slates, double Ctr, double ExpectedCtr, double[] CtrByInteraction, double[] ExpectedCtrByInteraction);

/// <summary>
/// The cold-start cohorts' figures, kept apart from the arms' (which include the cohorts' users too).
/// Every user of a cohort steps once per round from its joining round, so interaction index i is
/// the cohort's round (join round + i − 1).
/// </summary>
public static class CohortSummary
{
    public static IReadOnlyList<(UserCohort Cohort, IReadOnlyDictionary<string, CohortCurve> Arms)> Compute(RunResult result)
    {
        var cohorts = new List<(UserCohort, IReadOnlyDictionary<string, CohortCurve>)>();
        foreach (var cohort in UserCohort.Of(result.Spec))
        {
            var arms = new Dictionary<string, CohortCurve>();
            foreach (var (arm, rounds) in result.Rounds)
            {
                var figures = rounds.Where(r => r.Round >= cohort.Round).OrderBy(r => r.Round)
                    .Select(r => r.Cohorts?.FirstOrDefault(c => c.Cohort == cohort.Index) ?? new CohortRoundFigures(cohort.Index, 0, 0, 0, 0)).ToArray();
                long slates = figures.Sum(f => (long)f.Slates), clicks = figures.Sum(f => (long)f.Clicks);
                var expected = figures.Sum(f => f.SumExpectedClick);
                arms[arm] = new CohortCurve(slates,
                    slates == 0 ? 0 : (double)clicks / slates,
                    slates == 0 ? 0 : expected / slates,
                    [.. figures.Select(f => f.Slates == 0 ? 0 : (double)f.Clicks / f.Slates)],
                    [.. figures.Select(f => f.Slates == 0 ? 0 : f.SumExpectedClick / f.Slates)]);
            }
            cohorts.Add((cohort, arms));
        }
        return cohorts;
    }
}
