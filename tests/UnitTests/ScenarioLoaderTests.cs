using MultiAgentRec.Client.Scenarios;
using MultiAgentRec.Contracts;

namespace MultiAgentRec.UnitTests;

public sealed class ScenarioLoaderTests
{
    private const string FileName = "test.yaml";

    // One agent, so that the default arms (which include the ensemble) are satisfied.
    private const string OneAgent = "agents: [{id: a, kind: thompson}]";

    private static ScenarioLoadResult Parse(string yaml) => ScenarioLoader.Parse(yaml, FileName);

    private static SimulationSpec Valid(string yaml)
    {
        var result = Parse(yaml);
        Assert.True(result.Ok, string.Join(Environment.NewLine, result.Problems));
        return result.Spec!;
    }

    private static IReadOnlyList<ScenarioProblem> Invalid(string yaml)
    {
        var result = Parse(yaml);
        Assert.False(result.Ok);
        Assert.Null(result.Spec);
        Assert.NotEmpty(result.Problems);
        Assert.All(result.Problems, p => Assert.Equal(FileName, p.File));
        return result.Problems;
    }

    private static ScenarioProblem SingleProblem(string yaml)
    {
        var problems = Invalid(yaml);
        return Assert.Single(problems);
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MultiAgentRec.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException($"no MultiAgentRec.sln above {AppContext.BaseDirectory}");
    }

    [Fact]
    public void ShippedQuickstartLoadsWithoutProblemsAndWithItsValues()
    {
        var result = ScenarioLoader.LoadFile(Path.Combine(RepoRoot(), "scenarios", "quickstart.yaml"));

        Assert.Empty(result.Problems);
        Assert.True(result.Ok);
        var spec = result.Spec!;
        Assert.Equal("quickstart", spec.Name);
        Assert.Equal(42, spec.Seed);
        Assert.Equal(40, spec.Rounds);
        Assert.Equal(5, spec.SlateSize);
        Assert.Equal(new CatalogSpec(300, 8, 16, 0.3, 0.3), spec.Catalog);
        Assert.Equal(new UserSpec(2000, 6, 0.5, 0.3, 10, 30), spec.Users);
        Assert.Equal(new ChoiceSpec(4.0, 5.0, 1.0, 0.05, 0.5, 0.8, 0.3), spec.Choice);
        Assert.Equal(new CoordinatorSpec(Names.Weighted, 0.1, null, 0.05, 20), spec.Coordinator);
        Assert.Equal(new TrainerSpec("auto", 1, 2, 1024, 0), spec.Trainer);

        Assert.Equal(["eps", "ts", "pg"], spec.Agents.Select(a => a.Id));
        Assert.Equal([Names.EpsilonGreedy, Names.Thompson, Names.Reinforce], spec.Agents.Select(a => a.Kind));
        Assert.Equal(0.1, spec.Agents[0].Parameters["epsilon"]);
        Assert.Equal(0.01, spec.Agents[2].Parameters["learningRate"]);
        Assert.Equal(64, spec.Agents[2].Parameters["hiddenSize"]);

        Assert.Equal(["ensemble", "solo:eps", "solo:ts", "solo:pg", "random", "oracle"], spec.Arms);
    }

    [Fact]
    public void MissingSectionsTakeTheirDefaults()
    {
        var spec = Valid($"""
            name: minimal
            {OneAgent}
            """);

        Assert.Equal(42, spec.Seed);
        Assert.Equal(40, spec.Rounds);
        Assert.Equal(5, spec.SlateSize);
        Assert.Equal(new CatalogSpec(300, 8, 16, 0.3, 0.3), spec.Catalog);
        Assert.Equal(new UserSpec(2000, 6, 0.5, 0.3, 10, 30), spec.Users);
        Assert.Equal(new ChoiceSpec(4.0, 5.0, 1.0, 0.05, 0.5, 0.8, 0.3), spec.Choice);
        Assert.Equal(new CoordinatorSpec(Names.Weighted, 0.1, null, 0.05), spec.Coordinator);
        Assert.Equal(new TrainerSpec("auto", 1, 2, 1024, 0), spec.Trainer);
        Assert.Equal(["ensemble", "solo:a", "random", "oracle"], spec.Arms);
    }

    [Fact]
    public void SectionWithEveryLineCommentedOutMeansItsDefaults()
    {
        var spec = Valid($"""
            name: commented
            catalog:
            #  items: 50
            {OneAgent}
            """);

        Assert.Equal(300, spec.Catalog.Items);
    }

    [Theory]
    [InlineData(Names.EpsilonGreedy, new[] { "epsilon", "priorAlpha", "priorBeta", "epsilonDecay", "epsilonMin", "positionBias", "positionSweeps" }, new[] { 0.1, 1, 10, 0, 0, 1, 5 })]
    [InlineData(Names.Thompson, new[] { "priorAlpha", "priorBeta", "poolFactor", "positionBias", "positionSweeps" }, new[] { 1.0, 10, 4, 1, 5 })]
    [InlineData(Names.Ucb1, new[] { "explorationScale", "tuned", "positionBias", "positionSweeps", "batchAllocation" }, new[] { 1.0, 0, 1, 5, 1 })]
    [InlineData(Names.KlUcb, new[] { "c", "positionBias", "positionSweeps", "batchAllocation" }, new[] { 0.0, 1, 5, 1 })]
    [InlineData(Names.Reinforce, new[] { "hiddenSize", "embeddingSize", "learningRate", "importanceCap", "entropyWeight", "topKCorrection", "sampledItems" }, new[] { 64, 32, 0.01, 0.1, 0.001, 1, 64 })]
    public void AgentParametersHoldEveryDefaultOfTheirKind(string kind, string[] names, double[] defaults)
    {
        var spec = Valid($"""
            name: kinds
            agents:
              - id: x
                kind: {kind}
            """);

        var parameters = Assert.Single(spec.Agents).Parameters;
        Assert.Equal(names.Order(), parameters.Keys.Order());
        for (var i = 0; i < names.Length; i++)
            Assert.Equal(defaults[i], parameters[names[i]]);
    }

    [Fact]
    public void EveryImplementedAgentKindDeclaresItsHyperParameters()
    {
        // A kind added to Names without a parameter table would silently accept no hyper-parameters at all.
        Assert.All(Names.AgentKinds, kind => Assert.NotEmpty(AgentHyperParameters.For(kind)));
    }

    [Fact]
    public void WrittenHyperParametersOverrideTheDefaultsAndYamlIntsCountAsNumbers()
    {
        var spec = Valid("""
            name: params
            agents:
              - id: pg
                kind: reinforce
                hiddenSize: 128
                learningRate: 1
            coordinator:
              temperature: 2
            """);

        var parameters = spec.Agents[0].Parameters;
        Assert.Equal(128, parameters["hiddenSize"]);
        Assert.Equal(1.0, parameters["learningRate"]);
        Assert.Equal(32, parameters["embeddingSize"]);
        Assert.Equal(2.0, spec.Coordinator.Temperature);
    }

    [Fact]
    public void UnknownAgentKindIsReportedAtItsLineWithTheAllowedKinds()
    {
        var problem = SingleProblem("""
            name: kinds
            agents:
              - id: a
                kind: thompson
              - id: b
                kind: ucb
            """);

        Assert.Equal(6, problem.Line);
        Assert.Equal(11, problem.Column);
        Assert.Contains("agents[1].kind", problem.Message, StringComparison.Ordinal);
        Assert.Contains("'ucb'", problem.Message, StringComparison.Ordinal);
        Assert.All(Names.AgentKinds, kind => Assert.Contains(kind, problem.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void NegativeSizesAreReportedAtTheirLines()
    {
        var problems = Invalid($"""
            name: negative
            slateSize: -1
            users: {"{"}count: -5{"}"}
            {OneAgent}
            """);

        Assert.Equal(2, problems.Count);
        Assert.Equal((2, 12), (problems[0].Line, problems[0].Column));
        Assert.Equal("slateSize: must be >= 1, got -1", problems[0].Message);
        Assert.Equal((3, 16), (problems[1].Line, problems[1].Column));
        Assert.Equal("users.count: must be >= 1, got -5", problems[1].Message);
    }

    [Theory]
    [InlineData("name: x\narms: [ensemble, random\n", 3)]
    [InlineData("name: x\ncatalog:\n  items: 3\n   topics: 2\n", 4)]
    [InlineData("name: x\n  seed: 1\n", 2)]
    [InlineData("name: x\nagents:\n  - id: a\n - id: b\n", 4)]
    public void MalformedYamlGivesOneProblemWithItsLineInsteadOfThrowing(string yaml, int line)
    {
        var problem = SingleProblem(yaml);

        Assert.Equal(line, problem.Line);
        Assert.StartsWith("invalid YAML: ", problem.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Idx:", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DuplicateYamlKeyIsOneProblemAtTheDuplicate()
    {
        var problem = SingleProblem("name: x\nseed: 1\nseed: 2\n");

        Assert.Equal(3, problem.Line);
    }

    [Fact]
    public void EveryProblemInAFileIsReportedAtOnceInFileOrder()
    {
        var problems = Invalid("""
            name: bad name!
            seed: -3
            catalog:
              items: abc
              topics: 2.5
              colour: red
            agents:
              - id: a
                kind: ucb
              - id: a
                kind: thompson
                priorAlpha: 0
            arms: [ensemble, solo:zz, bogus]
            """);

        Assert.Equal([1, 2, 4, 5, 6, 9, 10, 12, 13, 13], problems.Select(p => p.Line));
        Assert.Equal(
            [
                "name", "seed", "catalog.items", "catalog.topics", "catalog.colour",
                "agents[0].kind", "agents[1].id", "agents[1].priorAlpha", "arms[1]", "arms[2]",
            ],
            problems.Select(p => p.Message[..p.Message.IndexOf(':', StringComparison.Ordinal)]));
    }

    [Fact]
    public void DuplicateAgentIdIsReportedAtTheDuplicateWithTheFirstLine()
    {
        var problem = SingleProblem("""
            name: dup
            agents:
              - id: a
                kind: thompson
              - id: b
                kind: thompson
              - id: a
                kind: reinforce
            """);

        Assert.Equal(7, problem.Line);
        Assert.Equal("agents[2].id: duplicate agent id 'a' (first used on line 3)", problem.Message);
    }

    [Theory]
    [InlineData("a b")]
    [InlineData("a:b")]
    [InlineData("a.b")]
    public void AgentIdsAreRestrictedToKeySafeCharacters(string id)
    {
        var problem = SingleProblem($"""
            name: ids
            agents:
              - id: '{id}'
                kind: thompson
            """);

        Assert.Equal(3, problem.Line);
        Assert.StartsWith("agents[0].id: ", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AgentWithoutIdOrKindIsReportedAtTheAgent()
    {
        var problems = Invalid("""
            name: partial
            agents:
              - epsilon: 0.2
            """);

        Assert.Equal(2, problems.Count);
        Assert.All(problems, p => Assert.Equal(3, p.Line));
        Assert.Contains(problems, p => p.Message.StartsWith("agents[0].id: required", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Message.StartsWith("agents[0].kind: required", StringComparison.Ordinal));
    }

    [Fact]
    public void SlateLargerThanTheCatalogIsAProblemAtTheSlateSize()
    {
        var problem = SingleProblem($"""
            name: slate
            slateSize: 10
            catalog:
              items: 8
            {OneAgent}
            """);

        Assert.Equal(2, problem.Line);
        Assert.Equal("slateSize: must be <= catalog.items (8), got 10", problem.Message);
    }

    [Fact]
    public void DefaultSlateLargerThanASmallCatalogIsReportedAtTheItems()
    {
        var problem = SingleProblem($"""
            name: slate
            catalog:
              items: 3
            {OneAgent}
            """);

        Assert.Equal(3, problem.Line);
        Assert.Contains("slateSize", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SoloArmNamingAnUnknownAgentIsAProblemListingTheAgents()
    {
        var problem = SingleProblem("""
            name: solo
            agents:
              - id: a
                kind: thompson
            arms:
              - ensemble
              - solo:b
            """);

        Assert.Equal(7, problem.Line);
        Assert.Equal("arms[1]: 'solo:b' names no agent (agent ids: a)", problem.Message);
    }

    [Fact]
    public void ArmsExpandInTheGivenOrderWithoutDuplicates()
    {
        var spec = Valid("""
            name: arms
            agents:
              - id: b
                kind: thompson
              - id: a
                kind: epsilon-greedy
            arms: [oracle, solo:a, solo, ensemble, random, oracle]
            """);

        Assert.Equal(["oracle", "solo:a", "solo:b", "ensemble", "random"], spec.Arms);
    }

    [Fact]
    public void EnsembleArmWithoutAgentsIsAProblem()
    {
        var problem = SingleProblem("name: lonely\narms: [ensemble]\n");

        Assert.Equal(2, problem.Line);
        Assert.Equal("agents: the ensemble arm needs at least one agent", problem.Message);
    }

    [Fact]
    public void DefaultArmsWithoutAgentsExplainWhereTheEnsembleCameFrom()
    {
        var problem = SingleProblem("name: lonely\n");

        Assert.StartsWith("agents: the ensemble arm needs at least one agent (arms defaults to", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BaselineArmsNeedNoAgents()
    {
        var spec = Valid("name: baselines\narms: [random, oracle]\n");

        Assert.Empty(spec.Agents);
        Assert.Equal(["random", "oracle"], spec.Arms);
    }

    [Theory]
    [InlineData("arms: []", "at least one arm")]
    [InlineData("arms: [ensemble, greedy]", "unknown arm 'greedy'")]
    [InlineData("arms: ensemble", "expected a sequence of arms")]
    public void BadArmListsAreProblems(string arms, string expected)
    {
        var problem = SingleProblem($"name: arms\n{OneAgent}\n{arms}\n");

        Assert.Equal(3, problem.Line);
        Assert.Contains(expected, problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownKeyInASectionIsReportedWithTheAllowedKeys()
    {
        var problem = SingleProblem($"""
            name: keys
            catalog:
              items: 50
              foo: 1
            {OneAgent}
            """);

        Assert.Equal((4, 3), (problem.Line, problem.Column));
        Assert.Equal(
            "catalog.foo: unknown key 'foo' in catalog (allowed: items, topics, embeddingDim, topicConcentration, qualityStd)",
            problem.Message);
    }

    [Fact]
    public void UnknownTopLevelKeyDiffersOnlyInCaseGetsASuggestion()
    {
        var problem = SingleProblem($"name: keys\nslatesize: 3\n{OneAgent}\n");

        Assert.Equal(2, problem.Line);
        Assert.StartsWith("slatesize: unknown key 'slatesize' at the top level (allowed: name, seed,", problem.Message, StringComparison.Ordinal);
        Assert.EndsWith("did you mean 'slateSize'?", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownHyperParameterListsThoseOfTheAgentsKind()
    {
        var problem = SingleProblem("""
            name: params
            agents:
              - id: ts
                kind: thompson
                epsilon: 0.2
            """);

        Assert.Equal(5, problem.Line);
        Assert.Equal("agents[0].epsilon: unknown hyper-parameter 'epsilon' for kind thompson (allowed: priorAlpha, priorBeta, poolFactor, positionBias, positionSweeps)", problem.Message);
    }

    [Theory]
    [InlineData("auto", null)]
    [InlineData("'auto'", null)]
    [InlineData("0.2", 0.2)]
    [InlineData("3", 3.0)]
    public void HedgeLearningRateIsAutoOrAPositiveNumber(string written, double? expected)
    {
        var spec = Valid($"""
            name: hedge
            {OneAgent}
            coordinator:
              hedgeLearningRate: {written}
            """);

        Assert.Equal(expected, spec.Coordinator.HedgeLearningRate);
    }

    [Theory]
    [InlineData("fast", "expected 'auto' or a number > 0, got 'fast'")]
    [InlineData("0", "must be 'auto' or > 0, got 0")]
    [InlineData("-0.1", "must be 'auto' or > 0, got -0.1")]
    public void HedgeLearningRateRejectsAnythingElse(string written, string expected)
    {
        var problem = SingleProblem($"""
            name: hedge
            {OneAgent}
            coordinator:
              hedgeLearningRate: {written}
            """);

        Assert.Equal(4, problem.Line);
        Assert.Equal($"coordinator.hedgeLearningRate: {expected}", problem.Message);
    }

    [Theory]
    [InlineData("items: abc", "catalog.items: expected an integer, got 'abc'")]
    [InlineData("items: 2.5", "catalog.items: expected an integer, got '2.5'")]
    [InlineData("items: \"300\"", "catalog.items: expected an integer, got the quoted string '300' (write numbers without quotes)")]
    [InlineData("items: [1, 2]", "catalog.items: expected an integer, got a sequence")]
    [InlineData("items:", "catalog.items: expected an integer, got an empty value")]
    [InlineData("items: 1e12", "catalog.items: expected an integer between -2147483648 and 2147483647, got '1e12'")]
    [InlineData("qualityStd: .nan", "catalog.qualityStd: expected a number, got '.nan'")]
    [InlineData("qualityStd: true", "catalog.qualityStd: expected a number, got 'true'")]
    [InlineData("topicConcentration: 0", "catalog.topicConcentration: must be > 0, got 0")]
    public void WrongValuesAreReportedWithWhatWasWrittenAndWhatIsAllowed(string entry, string expected)
    {
        var problem = SingleProblem($"""
            name: types
            {OneAgent}
            catalog:
              {entry}
            """);

        Assert.Equal(4, problem.Line);
        Assert.Equal(expected, problem.Message);
    }

    [Fact]
    public void IntegralNumbersWrittenWithADecimalPointCountAsIntegers()
    {
        var spec = Valid($"name: ints\n{OneAgent}\ncatalog: {"{"}items: 300.0, topics: 1e1{"}"}\n");

        Assert.Equal(300, spec.Catalog.Items);
        Assert.Equal(10, spec.Catalog.Topics);
    }

    [Theory]
    [InlineData("choice:\n  interestDrift: 1.5", "choice.interestDrift: must be between 0 and 1, got 1.5")]
    [InlineData("choice:\n  boredomDecay: -0.1", "choice.boredomDecay: must be between 0 and 1, got -0.1")]
    [InlineData("coordinator:\n  hedgeFloor: 1", "coordinator.hedgeFloor: must be >= 0 and < 1, got 1")]
    [InlineData("coordinator:\n  aggregation: mean", "coordinator.aggregation: unknown aggregation 'mean' (allowed: weighted, hedge, borda, majority, rrf, pick)")]
    [InlineData("trainer:\n  device: gpu", "trainer.device: unknown device 'gpu' (allowed: auto, cpu, cuda)")]
    [InlineData("trainer:\n  threads: -1", "trainer.threads: must be >= 0, got -1")]
    [InlineData("agents:\n  - {id: e, kind: epsilon-greedy, epsilon: 2}", "agents[0].epsilon: must be between 0 and 1, got 2")]
    [InlineData("agents:\n  - {id: r, kind: reinforce, hiddenSize: 0.5}", "agents[0].hiddenSize: expected an integer, got '0.5'")]
    public void RangesAndChoicesAreChecked(string section, string expected)
    {
        var agents = section.StartsWith("agents", StringComparison.Ordinal) ? "" : OneAgent;
        var problem = SingleProblem($"name: ranges\n{agents}\n{section}\n");

        Assert.Equal(expected, problem.Message);
    }

    [Theory]
    [InlineData("[30, 10]", "users.sessionBudget[1]: max must be >= min (30), got 10")]
    [InlineData("[0, 10]", "users.sessionBudget[0]: must be > 0, got 0")]
    [InlineData("[10]", "users.sessionBudget: expected two numbers [min, max] with 0 < min <= max, got 1 entries")]
    [InlineData("20", "users.sessionBudget: expected two numbers [min, max] with 0 < min <= max, got '20'")]
    public void SessionBudgetMustBeAnOrderedPositivePair(string budget, string expected)
    {
        var problem = SingleProblem($"name: budget\n{OneAgent}\nusers:\n  sessionBudget: {budget}\n");

        Assert.Equal(4, problem.Line);
        Assert.Equal(expected, problem.Message);
    }

    [Fact]
    public void EqualSessionBudgetBoundsAreAllowed()
    {
        var spec = Valid($"name: budget\n{OneAgent}\nusers:\n  sessionBudget: [5, 5.5]\n");

        Assert.Equal((5, 5.5), (spec.Users.SessionBudgetMin, spec.Users.SessionBudgetMax));
    }

    [Theory]
    [InlineData("")]
    [InlineData("# nothing but a comment\n")]
    [InlineData("---\n")]
    public void EmptyFileIsOneProblem(string yaml)
    {
        var problem = SingleProblem(yaml);

        Assert.Contains("empty", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("- name: x\n", "a sequence")]
    [InlineData("just words\n", "'just words'")]
    public void TopLevelThatIsNotAMappingIsOneProblem(string yaml, string got)
    {
        var problem = SingleProblem(yaml);

        Assert.Equal(1, problem.Line);
        Assert.StartsWith("the top level must be a mapping", problem.Message, StringComparison.Ordinal);
        Assert.EndsWith($"got {got}", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SectionThatIsNotAMappingIsAProblem()
    {
        var problem = SingleProblem($"name: x\n{OneAgent}\ntrainer: [cpu]\n");

        Assert.Equal(3, problem.Line);
        Assert.StartsWith("trainer: expected a mapping", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SecondYamlDocumentIsAProblem()
    {
        var problem = SingleProblem($"name: x\n{OneAgent}\n---\nname: y\n");

        Assert.Equal(4, problem.Line);
    }

    [Theory]
    [InlineData("seed: 1", "name: required")]
    [InlineData("name: 'my run'", "name: 'my run' is not a valid name")]
    [InlineData("name: [a]", "name: expected a name")]
    public void NameIsRequiredAndRestricted(string entry, string expected)
    {
        var problem = SingleProblem($"{entry}\n{OneAgent}\n");

        Assert.Equal(1, problem.Line);
        Assert.StartsWith(expected, problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingFileIsOneProblemNotAnException()
    {
        var path = Path.Combine(Path.GetTempPath(), $"no-such-scenario-{Guid.NewGuid():N}.yaml");

        var result = ScenarioLoader.LoadFile(path);

        Assert.Null(result.Spec);
        var problem = Assert.Single(result.Problems);
        Assert.Equal(path, problem.File);
        Assert.Equal(0, problem.Line);
        Assert.Equal($"{path}: scenario file not found", problem.ToString());
    }

    [Fact]
    public void ProblemsPrintAsFileLineColumnMessage()
    {
        var problem = SingleProblem($"name: x\n{OneAgent}\nrounds: 0\n");

        Assert.Equal("test.yaml:3:9: rounds: must be >= 1, got 0", problem.ToString());
    }

    [Fact]
    public void TrainerOverlapIsOffByDefaultAndOnlyTrueOrFalse()
    {
        Assert.False(Valid($"name: x\n{OneAgent}\n").Trainer.Overlap);
        Assert.True(Valid($"name: x\n{OneAgent}\ntrainer: {{ overlap: true }}\n").Trainer.Overlap);

        var problem = SingleProblem($"name: x\n{OneAgent}\ntrainer:\n  overlap: yes\n");

        Assert.Equal(4, problem.Line);
        Assert.Contains("trainer.overlap", problem.Message, StringComparison.Ordinal);
        Assert.Contains("'yes'", problem.Message, StringComparison.Ordinal);
    }
}
