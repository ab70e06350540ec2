using MultiAgentRec.Client.Scenarios;

namespace MultiAgentRec.UnitTests;

public sealed class WarmStartScenarioTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mar-warmyaml-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Warm_start_path_is_resolved_against_the_scenario_folder()
    {
        var saved = Write("pg.bin", "not read by the loader");
        var scenario = Write("s.yaml", "name: w\nagents:\n  - { id: pg, kind: reinforce, warmStart: pg.bin }\n");
        var loaded = ScenarioLoader.LoadFile(scenario);
        Assert.True(loaded.Ok, string.Join(Environment.NewLine, loaded.Problems));
        Assert.Equal(saved, loaded.Spec!.Agents[0].WarmStart);
    }

    [Theory]
    // A reinforce agent's missing file: say so and how to make one.
    [InlineData("reinforce", "no such file 'nope.bin'")]
    // A bandit has no network to start from: warmStart is an unknown key for it.
    [InlineData("thompson", "unknown hyper-parameter 'warmStart'")]
    public void A_bad_warm_start_is_one_problem_on_its_line(string kind, string message)
    {
        var scenario = Write("s.yaml", $"name: w\nagents:\n  - id: a\n    kind: {kind}\n    warmStart: nope.bin\n");
        var problem = Assert.Single(ScenarioLoader.LoadFile(scenario).Problems);
        Assert.Equal(5, problem.Line);
        Assert.Contains(message, problem.Message);
    }
}
