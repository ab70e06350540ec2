using MultiAgentRec.Client.Runs;
using MultiAgentRec.Contracts;

namespace MultiAgentRec.UnitTests;

public sealed class GapTableTests
{
    private static RoundReport Round(string arm, int round, double expected) =>
        new(arm, round, 10, 0, expected, 0, 0, 0, 0, [], [], SessionsEnded: 0, Seconds: 0);

    // 4 rounds: the last quarter is round 3 alone; earlier rounds must not count.
    private static RoundReport[] Arm(string arm, double last) => [Round(arm, 0, 9), Round(arm, 1, 9), Round(arm, 2, 9), Round(arm, 3, last)];

    private static RunResult Result(params string[] arms)
    {
        var spec = TestWorlds.Spec($"name: gap\nrounds: 4\nagents: [{{id: a, kind: thompson}}]\narms: [{string.Join(", ", arms)}]\n");
        var lastSums = new Dictionary<string, double> { [Names.Ensemble] = 4, [Names.Random] = 2, [Names.PopularityOracle] = 5, [Names.Oracle] = 6, ["solo:a"] = 1 };
        return new RunResult("run", spec, arms.ToDictionary(a => a, a => Arm(a, lastSums[a])), new TrainingReport("cpu", 0, 0, 0, double.NaN), 1);
    }

    [Fact]
    public void Each_arm_closes_its_share_of_the_random_to_oracle_gap_in_the_last_quarter()
    {
        var rows = GapTable.Rows(Result(Names.Ensemble, "solo:a", Names.Random, Names.PopularityOracle, Names.Oracle))!;

        // expectedCtr: ensemble 0.4, solo 0.1, random 0.2, popularity 0.5, oracle 0.6 (sums / 10 slates).
        var byArm = rows.ToDictionary(r => r.Arm);
        Assert.Equal(0.5, byArm[Names.Ensemble].GapClosed, 12);       // (0.4 − 0.2) / (0.6 − 0.2)
        Assert.Equal(-0.25, byArm["solo:a"].GapClosed, 12);           // worse than random: negative
        Assert.Equal(0.75, byArm[Names.PopularityOracle].GapClosed, 12);
        Assert.Equal(0, byArm[Names.Random].GapClosed, 12);
        Assert.Equal(1, byArm[Names.Oracle].GapClosed, 12);
        Assert.Equal(0.8, byArm[Names.Ensemble].OfPopularityOracle!.Value, 12);
        Assert.Equal([Names.Ensemble, "solo:a", Names.Random, Names.PopularityOracle, Names.Oracle], rows.Select(r => r.Arm));

        var markdown = GapTable.Markdown(Result(Names.Ensemble, "solo:a", Names.Random, Names.PopularityOracle, Names.Oracle));
        Assert.Contains("| ensemble | 0.4000 | 0.2000 | 0.5000 | 0.6000 | 50.0% | 80.0% |", markdown);
    }

    [Fact]
    public void Without_a_popularity_oracle_the_table_still_shows_and_without_random_or_oracle_it_does_not()
    {
        var rows = GapTable.Rows(Result(Names.Ensemble, Names.Random, Names.Oracle))!;
        Assert.Null(rows[0].OfPopularityOracle);
        Assert.Contains("| ensemble | 0.4000 | 0.2000 | – | 0.6000 | 50.0% | – |", GapTable.Markdown(Result(Names.Ensemble, Names.Random, Names.Oracle)));

        Assert.Null(GapTable.Rows(Result(Names.Ensemble, Names.Random)));
        Assert.Equal("", GapTable.Markdown(Result(Names.Ensemble, Names.Oracle)));
        Assert.Null(GapTable.Json(Result(Names.Ensemble, Names.Random)));
    }
}
