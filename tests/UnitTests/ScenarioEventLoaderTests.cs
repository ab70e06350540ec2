using MultiAgentRec.Client.Scenarios;
using MultiAgentRec.Contracts;

namespace MultiAgentRec.UnitTests;

public sealed class ScenarioEventLoaderTests
{
    // Events are appended to this at line 9 on; line numbers in the tests count from here.
    private const string Head = """
        name: events
        rounds: 20
        slateSize: 4
        catalog: { items: 50 }
        users: { segments: 3 }
        agents: [{id: a, kind: thompson}, {id: b, kind: epsilon-greedy}]
        arms: [ensemble, solo, random]
        events:
        """;

    private static ScenarioLoadResult Parse(string events) => ScenarioLoader.Parse(Head + "\n" + events, "test.yaml");

    private static ScenarioProblem Single(string events)
    {
        var result = Parse(events);
        Assert.False(result.Ok);
        return Assert.Single(result.Problems);
    }

    [Fact]
    public void Every_event_type_is_read_with_its_values_in_file_order()
    {
        var result = Parse("""
              - round: 5
                preferenceShift: { segments: [0, 2], amount: 0.5 }
              - { round: 3, newItems: { count: 10 } }
              - { round: 8, cohort: { users: 30 } }
              - { round: 2, removeAgent: b }
              - { round: 9, addAgent: b }
              - { round: 12, preferenceShift: {} }
            """);

        Assert.True(result.Ok, string.Join("\n", result.Problems));
        var events = result.Spec!.EventList;
        Assert.Equal([5, 3, 8, 2, 9, 12], events.Select(e => e.Round));
        Assert.Equal([ScenarioEvent.PreferenceShift, ScenarioEvent.NewItems, ScenarioEvent.Cohort, ScenarioEvent.RemoveAgent, ScenarioEvent.AddAgent, ScenarioEvent.PreferenceShift], events.Select(e => e.Kind));
        Assert.Equal([0, 2], events[0].Segments);
        Assert.Equal(0.5, events[0].Amount);
        Assert.Equal(10, events[1].Count);
        Assert.Equal(30, events[2].Count);
        Assert.Equal("b", events[3].AgentId);
        // Left out: every segment, all the way to the new centroids.
        Assert.Empty(events[5].Segments);
        Assert.Equal(1.0, events[5].Amount);
    }

    [Fact]
    public void Scenarios_without_events_have_none()
    {
        var result = ScenarioLoader.Parse(Head.Replace("events:", ""), "test.yaml");

        Assert.True(result.Ok, string.Join("\n", result.Problems));
        Assert.Null(result.Spec!.Events);
        Assert.Empty(result.Spec.EventList);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("20")]
    [InlineData("2.5")]
    public void A_round_outside_the_run_is_reported_at_its_line(string round)
    {
        var problem = Single($"""
              - {"{"} round: 3, newItems: {"{"} count: 2 {"}"} {"}"}
              - round: {round}
                cohort: {"{"} users: 5 {"}"}
            """);

        Assert.Equal(10, problem.Line);
        Assert.StartsWith("events[1].round:", problem.Message);
    }

    [Fact]
    public void Unknown_keys_missing_rounds_and_types_and_two_types_in_one_entry_are_each_reported()
    {
        var result = Parse("""
              - { round: 3, newitems: { count: 2 } }
              - { cohort: { users: 5 } }
              - { round: 4 }
              - { round: 5, addAgent: a, removeAgent: b }
              - { round: 6, preferenceShift: { segments: [1], amont: 0.5 } }
            """);

        Assert.False(result.Ok);
        var byLine = result.Problems.ToDictionary(p => p.Line, p => p.Message);
        Assert.Contains("unknown key 'newitems'", byLine[9]);
        Assert.Contains("did you mean 'newItems'?", byLine[9]);
        Assert.Contains("events[1].round: required", byLine[10]);
        Assert.Contains("needs one event type", byLine[11]);
        Assert.Contains("one event type per entry", byLine[12]);
        Assert.Contains("unknown key 'amont'", byLine[13]);
        Assert.Equal(5, result.Problems.Count);
    }

    [Fact]
    public void An_agent_event_naming_no_agent_lists_the_ids()
    {
        var problem = Single("""
              - round: 4
                removeAgent: c
            """);

        Assert.Equal(10, problem.Line);
        Assert.Equal("events[0].removeAgent: 'c' names no agent (agent ids: a, b)", problem.Message);
    }

    [Fact]
    public void Segments_outside_the_population_or_listed_twice_are_reported()
    {
        var result = Parse("""
              - { round: 4, preferenceShift: { segments: [3] } }
              - { round: 5, preferenceShift: { segments: [1, 1] } }
              - { round: 6, preferenceShift: { amount: 0 } }
            """);

        Assert.False(result.Ok);
        Assert.Collection(result.Problems,
            p => Assert.Equal((9, "events[0].preferenceShift.segments[0]: must be between 0 and 2, got 3"), (p.Line, p.Message)),
            p => Assert.Equal((10, "events[1].preferenceShift.segments[1]: segment 1 is listed twice"), (p.Line, p.Message)),
            p => Assert.Equal(11, p.Line));
    }

    [Fact]
    public void Arriving_items_must_leave_a_slate_at_round_zero()
    {
        var problem = Single("""
              - { round: 2, newItems: { count: 30 } }
              - { round: 3, newItems: { count: 17 } }
            """);

        Assert.Equal(10, problem.Line);
        Assert.Contains("47 arriving by events leave 3 at round 0, and a slate needs 4", problem.Message);
    }

    [Fact]
    public void Counts_are_required_and_at_least_one()
    {
        var result = Parse("""
              - { round: 2, newItems: {} }
              - { round: 3, cohort: { users: 0 } }
            """);

        Assert.False(result.Ok);
        Assert.Collection(result.Problems,
            p => Assert.Equal((9, "events[0].newItems.count: required: how many new items arrive (an integer >= 1)"), (p.Line, p.Message)),
            p => Assert.Equal((10, "events[1].cohort.users: must be >= 1, got 0"), (p.Line, p.Message)));
    }

    [Fact]
    public void Adding_an_agent_already_in_the_ensemble_or_removing_an_absent_one_is_reported()
    {
        var result = Parse("""
              - { round: 2, removeAgent: a }
              - { round: 4, removeAgent: a }
              - { round: 5, removeAgent: b }
              - { round: 6, addAgent: b }
              - { round: 7, addAgent: b }
              - { round: 7, removeAgent: b }
            """);

        Assert.False(result.Ok);
        Assert.Collection(result.Problems,
            p => Assert.Equal((10, "events[1].removeAgent: agent 'a' is not in the ensemble at round 4 (removed on line 9)"), (p.Line, p.Message)),
            p => Assert.Equal((13, "events[4].addAgent: agent 'b' is already in the ensemble at round 7 (added on line 12)"), (p.Line, p.Message)),
            p => Assert.Equal((14, "events[5].removeAgent: agent 'b' already changes at round 7 (line 13)"), (p.Line, p.Message)));
    }

    [Fact]
    public void An_agent_whose_first_event_adds_it_is_absent_until_then()
    {
        var spec = Parse("""
              - { round: 6, addAgent: b }
            """).Spec!;

        Assert.False(Simulation.AgentSchedule.IsActive(spec, Names.Ensemble, "b", 5));
        Assert.True(Simulation.AgentSchedule.IsActive(spec, Names.Ensemble, "b", 6));
        Assert.Equal(6, Simulation.AgentSchedule.FirstActiveRound(spec, Names.Ensemble, "b"));
        // Solo arms are the reference for the agent alone over the whole run.
        Assert.True(Simulation.AgentSchedule.IsActive(spec, "solo:b", "b", 0));
        Assert.True(Simulation.AgentSchedule.IsActive(spec, Names.Ensemble, "a", 0));
    }

    [Fact]
    public void The_ensemble_must_keep_an_agent_in_every_round()
    {
        var problem = Single("""
              - { round: 2, removeAgent: a }
              - { round: 5, removeAgent: b }
            """);

        Assert.Equal(10, problem.Line);
        Assert.Contains("removes the ensemble's last agent at round 5", problem.Message);
    }

    [Fact]
    public void Agent_events_without_an_ensemble_arm_are_reported_instead_of_doing_nothing()
    {
        var result = ScenarioLoader.Parse((Head + "\n  - { round: 2, removeAgent: a }").Replace("arms: [ensemble, solo, random]", "arms: [solo, random]"), "test.yaml");

        var problem = Assert.Single(result.Problems);
        Assert.Equal(9, problem.Line);
        Assert.Contains("change the ensemble arm only", problem.Message);
    }

    [Fact]
    public void Events_that_are_not_a_list_are_reported()
    {
        var problem = Single("  round: 3");

        Assert.Equal(9, problem.Line);
        Assert.StartsWith("events: expected a sequence of events", problem.Message);
    }

    [Fact]
    public void An_ensemble_whose_every_agent_starts_absent_is_reported()
    {
        var problem = Single("""
              - { round: 2, addAgent: a }
              - { round: 3, addAgent: b }
            """);

        Assert.Equal(9, problem.Line);
        Assert.Contains("the ensemble has no agent at round 0", problem.Message);
    }

    [Fact]
    public void The_shipped_scenarios_with_events_load()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(dir!.FullName, "MultiAgentRec.sln"))) dir = dir.Parent;
        var result = ScenarioLoader.LoadFile(Path.Combine(dir.FullName, "scenarios", "collaboration.yaml"));

        Assert.True(result.Ok, string.Join("\n", result.Problems));
        Assert.Equal([ScenarioEvent.PreferenceShift], result.Spec!.EventList.Select(e => e.Kind));
        var events = ScenarioLoader.LoadFile(Path.Combine(dir.FullName, "scenarios", "events.yaml"));
        Assert.True(events.Ok, string.Join("\n", events.Problems));
        Assert.Equal([ScenarioEvent.AddAgent, ScenarioEvent.NewItems, ScenarioEvent.PreferenceShift, ScenarioEvent.Cohort, ScenarioEvent.RemoveAgent], events.Spec!.EventList.Select(e => e.Kind));
    }
}
