using System.Text.RegularExpressions;
using MultiAgentRec.Contracts;
using MultiAgentRec.Simulation;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace MultiAgentRec.Client.Scenarios;

/// <summary>Turns a scenario YAML file into a validated <see cref="SimulationSpec"/>, or into every problem it has.</summary>
public static partial class ScenarioLoader
{
    private static readonly string[] TopKeys =
        ["name", "seed", "rounds", "slateSize", "catalog", "users", "choice", "agents", "coordinator", "trainer", "arms", "events"];
    private static readonly string[] CatalogKeys = ["items", "topics", "embeddingDim", "topicConcentration", "qualityStd"];
    private static readonly string[] UserKeys = ["count", "segments", "interestSpread", "profileNoise", "sessionBudget", "shardSize", "segmentSpread", "segmentProfileNoise"];
    private static readonly string[] ChoiceKeys =
        ["utilityScale", "noClickUtility", "positionDecay", "interestDrift", "boredomWeight", "boredomDecay", "engagementNoise"];
    private static readonly string[] CoordinatorKeys =
        ["aggregation", "temperature", "hedgeLearningRate", "hedgeFloor", "candidates", "weights", "weightDiscount", "creditClip"];
    private static readonly string[] TrainerKeys = ["device", "everyRounds", "epochs", "minibatchSize", "threads", "libtorch", "checkpoint", "resume", "overlap"];
    private static readonly string[] Devices = ["auto", "cpu", "cuda"];
    private static readonly string[] DefaultArms = [Names.Ensemble, "solo", Names.Random, Names.Oracle];
    private static readonly string[] ArmForms = [Names.Ensemble, "solo", $"{Names.SoloPrefix}<agent id>", Names.Random, Names.Oracle, Names.PopularityOracle];
    private const string Auto = "auto";
    private const string WarmStartKey = "warmStart";

    /// <summary>Reads and validates a scenario file; a missing or unreadable file is reported as a problem, not thrown.</summary>
    public static ScenarioLoadResult LoadFile(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return FileProblem(path, "scenario file not found");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return FileProblem(path, $"cannot read the scenario file: {e.Message}");
        }
        return Parse(text, path);
    }

    /// <summary>Validates scenario YAML text; <paramref name="fileName"/> only labels the problems.</summary>
    public static ScenarioLoadResult Parse(string yamlText, string fileName)
    {
        ArgumentNullException.ThrowIfNull(yamlText);
        ArgumentNullException.ThrowIfNull(fileName);

        var sink = new ProblemSink(fileName);
        var spec = ReadDocument(yamlText, sink) is { } root ? Build(root, sink) : null;
        var problems = sink.InFileOrder();
        return new ScenarioLoadResult(problems.Count == 0 ? spec : null, problems);
    }

    private static ScenarioLoadResult FileProblem(string path, string message) =>
        new(null, [new ScenarioProblem(path, 0, 0, message)]);

    private static YamlNode? ReadDocument(string text, ProblemSink sink)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            // Nothing after a syntax error can be trusted, so it is the only problem reported.
            sink.At(e.Start, $"invalid YAML: {ParserPosition().Replace(e.Message, "")}");
            return null;
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet throws this, without a position, on some unterminated flow collections
            // (e.g. "arms: [a, b" followed by more keys); point at where parsing last succeeded.
            sink.At(LastParsedMark(text), "invalid YAML: the parser could not go on from here; an unclosed '[', '{' or quote is the usual cause");
            return null;
        }

        if (stream.Documents.Count == 0 || Scalars.IsNull(stream.Documents[0].RootNode))
        {
            sink.At(null, "", "the file is empty; a scenario needs at least a name");
            return null;
        }
        if (stream.Documents.Count > 1)
            sink.At(stream.Documents[1].RootNode, "", "a scenario file holds a single YAML document; remove the second '---' and what follows it");

        var root = stream.Documents[0].RootNode;
        if (root is not YamlMappingNode)
        {
            sink.At(root, "", $"the top level must be a mapping of scenario keys ({string.Join(", ", TopKeys)}), got {Scalars.Describe(root)}");
            return null;
        }
        return root;
    }

    private static YamlDotNet.Core.Mark LastParsedMark(string text)
    {
        var parser = new YamlDotNet.Core.Parser(new StringReader(text));
        var last = YamlDotNet.Core.Mark.Empty;
        try
        {
            while (parser.MoveNext()) last = parser.Current!.Start;
        }
        catch (Exception e) when (e is InvalidOperationException or YamlException)
        {
            // Expected: this walk stops at the same place the load did.
        }
        return last;
    }

    // YamlDotNet prefixes its messages with both marks; the problem carries the position already.
    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\): ")]
    private static partial Regex ParserPosition();

    private static SimulationSpec Build(YamlNode rootNode, ProblemSink sink)
    {
        var root = Section.Open(sink, rootNode, "", TopKeys);

        var name = ReadName(root, sink);
        var seed = root.Int("seed", 42, Bounds.AtLeast(0));
        var rounds = root.Int("rounds", 40, Bounds.AtLeast(1));
        var slateSize = root.Int("slateSize", 5, Bounds.AtLeast(1));

        var catalogSection = root.Sub("catalog", CatalogKeys);
        var catalog = new CatalogSpec(
            catalogSection.Int("items", 300, Bounds.AtLeast(2)),
            catalogSection.Int("topics", 8, Bounds.AtLeast(1)),
            catalogSection.Int("embeddingDim", 16, Bounds.AtLeast(2)),
            catalogSection.Number("topicConcentration", 0.3, Bounds.Above(0)),
            catalogSection.Number("qualityStd", 0.3, Bounds.AtLeast(0)));

        // A slate shows distinct items, so it cannot be longer than the catalog.
        if (slateSize > catalog.Items && !root.Failed("slateSize") && !catalogSection.Failed("items"))
        {
            if (root.Value("slateSize") is { } written)
                sink.At(written, "slateSize", $"must be <= catalog.items ({catalog.Items}), got {slateSize}");
            else
                sink.At(catalogSection.Value("items"), "slateSize", $"the default {slateSize} exceeds catalog.items ({catalog.Items}); set slateSize");
        }

        var usersSection = root.Sub("users", UserKeys);
        var users = ReadUsers(usersSection, sink);
        var choice = ReadChoice(root.Sub("choice", ChoiceKeys));
        var agents = ReadAgents(root, sink);
        var coordinatorSection = root.Sub("coordinator", CoordinatorKeys);
        var coordinator = ReadCoordinator(coordinatorSection, sink);

        // Every agent proposes at least a slate's worth of candidates, so their union can fill a slate.
        if (coordinator.Candidates > 0 && coordinator.Candidates < slateSize && !coordinatorSection.Failed("candidates"))
            sink.At(coordinatorSection.Value("candidates"), "coordinator.candidates", $"must be >= slateSize ({slateSize}), got {coordinator.Candidates}");

        var trainerSection = root.Sub("trainer", TrainerKeys);
        var trainer = new TrainerSpec(
            trainerSection.OneOf("device", Auto, Devices, "device"),
            trainerSection.Int("everyRounds", 1, Bounds.AtLeast(1)),
            trainerSection.Int("epochs", 2, Bounds.AtLeast(1)),
            trainerSection.Int("minibatchSize", 1024, Bounds.AtLeast(1)),
            trainerSection.Int("threads", 0, Bounds.AtLeast(0)),
            TrainerFolders.ReadLibtorch(trainerSection, sink),
            TrainerFolders.ReadCheckpoint(trainerSection, sink),
            trainerSection.OneOf("resume", "false", ["true", "false"], "value") == "true",
            trainerSection.OneOf("overlap", "false", ["true", "false"], "value") == "true");
        TrainerFolders.CheckResume(trainerSection, trainer, sink);

        var arms = ReadArms(root, agents, sink);
        var events = ScenarioEventReader.Read(root.Value("events"), sink,
            new ScenarioEventReader.Context(rounds, catalog.Items, slateSize, users.Segments, agents.WrittenIds, arms));

        var spec = new SimulationSpec(name, seed, catalog, users, choice, [.. agents.Specs], coordinator, slateSize, rounds, trainer, arms, events.Length == 0 ? null : events);
        if (!sink.Any)
        {
            // Messages follow the shard size and the catalog: refuse sizes that would come near Orleans' limit.
            foreach (var problem in ScenarioLimits.MessageProblems(spec))
            {
                var (section, key) = problem.Key == "users.shardSize" ? (usersSection, "shardSize") : (catalogSection, "items");
                sink.At(section.Value(key) ?? section.Node ?? rootNode, problem.Key, problem.Message);
            }
        }
        return spec;
    }

    private static string ReadName(Section root, ProblemSink sink)
    {
        const string allowed = "ASCII letters, digits, '_', '.' and '-'";
        if (root.Value("name") is not { } node)
        {
            sink.At(root.Node, "name", $"required: the scenario's name ({allowed})");
            return "";
        }
        if (!Scalars.TryReadText(sink, node, "name", $"a name ({allowed})", out var name))
            return "";
        if (!IsWord(name, allowDot: true))
            sink.At(node, "name", $"'{name}' is not a valid name (allowed: {allowed})");
        return name;
    }

    // Run ids and grain keys are built from names and agent ids with '/' and ':' as separators,
    // so only characters that can never collide with those are allowed.
    private static bool IsWord(string text, bool allowDot) =>
        text.Length > 0 && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' || (allowDot && c == '.'));

    private static UserSpec ReadUsers(Section users, ProblemSink sink)
    {
        var count = users.Int("count", 2000, Bounds.AtLeast(1));
        var segments = users.Int("segments", 6, Bounds.AtLeast(1));
        var spread = users.Number("interestSpread", 0.5, Bounds.AtLeast(0));
        var noise = users.Number("profileNoise", 0.3, Bounds.AtLeast(0));
        var (min, max) = ReadSessionBudget(users, sink);
        var shardSize = users.Int("shardSize", UserSpec.DefaultShardSize, Bounds.AtLeast(1));
        var segmentSpread = ReadSegmentSpread(users, segments, sink);
        var segmentNoise = ReadPerSegment(users, "segmentProfileNoise", "profile noise", "profile noise", segments, sink);
        return new UserSpec(count, segments, spread, noise, min, max, shardSize, segmentSpread, segmentNoise);
    }

    /// <summary>
    /// <c>users.segmentSpread</c>: one interest spread per segment (numbers ≥ 0, as many as
    /// <c>users.segments</c>), so that some segments hold near-identical users and others varied ones.
    /// </summary>
    private static double[]? ReadSegmentSpread(Section users, int segments, ProblemSink sink) =>
        ReadPerSegment(users, "segmentSpread", "interest spread", "spread", segments, sink);

    /// <summary>
    /// A list of <c>users.segments</c> numbers ≥ 0 under <paramref name="key"/>, one <paramref name="what"/>
    /// per segment (<c>segmentSpread</c>, <c>segmentProfileNoise</c>); null when the key is absent.
    /// <paramref name="shortWhat"/> names it in the count error (kept as it was for <c>segmentSpread</c>).
    /// </summary>
    private static double[]? ReadPerSegment(Section users, string key, string what, string shortWhat, int segments, ProblemSink sink)
    {
        var path = users.ChildPath(key);
        if (users.Value(key) is not { } node || Scalars.IsNull(node)) return null;
        if (node is not YamlSequenceNode sequence)
        {
            sink.At(node, path, $"expected a sequence of {segments} numbers >= 0 (one {what} per segment), got {Scalars.Describe(node)}");
            return null;
        }
        if (sequence.Children.Count != segments && !users.Failed("segments"))
        {
            sink.At(node, path, $"expected one {shortWhat} per segment ({segments}, users.segments), got {sequence.Children.Count}");
            return null;
        }
        var spreads = new double[sequence.Children.Count];
        var ok = true;
        for (var i = 0; i < spreads.Length; i++)
            ok &= Scalars.TryReadNumber(sink, sequence.Children[i], $"{path}[{i}]", Bounds.AtLeast(0), integer: false, out spreads[i]);
        return ok ? spreads : null;
    }

    private static (double Min, double Max) ReadSessionBudget(Section users, ProblemSink sink)
    {
        const string key = "sessionBudget";
        var path = users.ChildPath(key);
        var node = users.Value(key);
        if (node is null)
            return (10, 30);
        if (node is not YamlSequenceNode { Children.Count: 2 } pair)
        {
            var got = node is YamlSequenceNode seq ? $"{seq.Children.Count} entries" : Scalars.Describe(node);
            sink.At(node, path, $"expected two numbers [min, max] with 0 < min <= max, got {got}");
            return (10, 30);
        }

        var minOk = Scalars.TryReadNumber(sink, pair.Children[0], $"{path}[0]", Bounds.Above(0), integer: false, out var min);
        var maxOk = Scalars.TryReadNumber(sink, pair.Children[1], $"{path}[1]", Bounds.Above(0), integer: false, out var max);
        if (minOk && maxOk && min > max)
            sink.At(pair.Children[1], $"{path}[1]", $"max must be >= min ({Bounds.Format(min)}), got {Bounds.Format(max)}");
        return (min, max);
    }

    private static ChoiceSpec ReadChoice(Section choice) => new(
        choice.Number("utilityScale", 4.0, Bounds.Above(0)),
        choice.Number("noClickUtility", 5.0, Bounds.Any),
        choice.Number("positionDecay", 1.0, Bounds.AtLeast(0)),
        choice.Number("interestDrift", 0.05, Bounds.UnitInterval),
        choice.Number("boredomWeight", 0.5, Bounds.AtLeast(0)),
        choice.Number("boredomDecay", 0.8, Bounds.UnitInterval),
        choice.Number("engagementNoise", 0.3, Bounds.AtLeast(0)));

    private static CoordinatorSpec ReadCoordinator(Section coordinator, ProblemSink sink)
    {
        // "hedge" is the older name of weighted score averaging (with Hedge weights); both read the same.
        var aggregation = coordinator.OneOf("aggregation", Names.Weighted, Names.Aggregations, "aggregation");
        if (aggregation == Names.Hedge) aggregation = Names.Weighted;
        var temperature = coordinator.Number("temperature", 0.1, Bounds.Above(0));
        var floor = coordinator.Number("hedgeFloor", 0.05, new Bounds(0, true, 1, false));

        // null asks the coordinator to derive the rate from the horizon; "auto" is how a scenario says so.
        double? rate = null;
        if (coordinator.Value("hedgeLearningRate") is { } node
            && node is not YamlScalarNode { Value: Auto })
        {
            var path = coordinator.ChildPath("hedgeLearningRate");
            if (!Scalars.TryParseNumber(node, out var value))
                sink.At(node, path, $"expected '{Auto}' or a number > 0, got {Scalars.Describe(node)}");
            else if (value <= 0)
                sink.At(node, path, $"must be '{Auto}' or > 0, got {((YamlScalarNode)node).Value}");
            else
                rate = value;
        }
        // 0 stands for the default, CoordinatorSpec.DefaultCandidateFactor × slateSize.
        var candidates = coordinator.Int("candidates", 0, Bounds.AtLeast(1));
        // A vote counts every agent alike unless asked to learn weights; score averaging and pick learn them.
        var weights = coordinator.OneOf("weights", Names.IsVoting(aggregation) ? Names.UniformWeights : Names.GlobalWeights, Names.WeightModes, "weight mode");
        // 1 keeps every past round (classic Hedge); below 1 the past fades so weights follow a change.
        var discount = coordinator.Number("weightDiscount", 1, new Bounds(0, false, 1, true));
        var clip = coordinator.Number("creditClip", CoordinatorSpec.DefaultCreditClip, Bounds.AtLeast(1));
        return new CoordinatorSpec(aggregation, temperature, rate, floor, candidates, weights, discount, clip);
    }

    /// <summary>The agents read so far, plus what the arms need to check against.</summary>
    private sealed record AgentList(List<AgentSpec> Specs, List<string> WrittenIds, int Written, YamlNode? Node);

    private static AgentList ReadAgents(Section root, ProblemSink sink)
    {
        var result = new AgentList([], [], 0, root.Value("agents"));
        if (result.Node is null || Scalars.IsNull(result.Node))
            return result;
        if (result.Node is not YamlSequenceNode sequence)
        {
            sink.At(result.Node, "agents", $"expected a sequence of agents (each a mapping with id and kind), got {Scalars.Describe(result.Node)}");
            return result;
        }

        var firstLine = new Dictionary<string, long>(StringComparer.Ordinal);
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            var path = $"agents[{i}]";
            var node = sequence.Children[i];
            if (node is not YamlMappingNode)
            {
                sink.At(node, path, $"expected a mapping with id and kind, got {Scalars.Describe(node)}");
                continue;
            }
            var agent = Section.Open(sink, node, path, allowedKeys: null);

            var id = ReadAgentId(agent, sink);
            if (id is not null && agent.Value("id") is { } idNode)
            {
                // The raw id is kept even when invalid so that arms naming it do not report a second, confusing problem.
                result.WrittenIds.Add(id);
                if (firstLine.TryGetValue(id, out var line))
                    sink.At(idNode, agent.ChildPath("id"), $"duplicate agent id '{id}' (first used on line {line})");
                else
                    firstLine[id] = idNode.Start.Line;
            }

            var kind = ReadAgentKind(agent, sink);
            var parameters = kind is null ? [] : ReadHyperParameters(agent, kind, sink);
            var warmStart = kind is null ? null : ReadWarmStart(agent, kind, sink);
            result.Specs.Add(new AgentSpec(id ?? "", kind ?? "", parameters, warmStart));
        }
        return result with { Written = sequence.Children.Count };
    }

    private static string? ReadAgentId(Section agent, ProblemSink sink)
    {
        const string allowed = "ASCII letters, digits, '_' and '-'";
        if (agent.Value("id") is not { } node)
        {
            sink.At(agent.Node, agent.ChildPath("id"), $"required: the agent's id ({allowed})");
            return null;
        }
        if (!Scalars.TryReadText(sink, node, agent.ChildPath("id"), $"an agent id ({allowed})", out var id))
            return null;
        if (!IsWord(id, allowDot: false))
            sink.At(node, agent.ChildPath("id"), $"'{id}' is not a valid agent id (allowed: {allowed})");
        return id;
    }

    private static string? ReadAgentKind(Section agent, ProblemSink sink)
    {
        var allowed = string.Join(", ", Names.AgentKinds);
        var path = agent.ChildPath("kind");
        if (agent.Value("kind") is not { } node)
        {
            sink.At(agent.Node, path, $"required: the agent's kind (allowed: {allowed})");
            return null;
        }
        if (!Scalars.TryReadText(sink, node, path, $"an agent kind ({allowed})", out var kind))
            return null;
        if (!Names.AgentKinds.Contains(kind, StringComparer.Ordinal))
        {
            sink.At(node, path, $"unknown agent kind '{kind}' (allowed: {allowed})");
            return null;
        }
        return kind;
    }

    private static Dictionary<string, double> ReadHyperParameters(Section agent, string kind, ProblemSink sink)
    {
        var known = AgentHyperParameters.For(kind);
        var parameters = AgentHyperParameters.Defaults(kind);
        foreach (var (key, keyNode, value) in agent.Entries)
        {
            if (key is "id" or "kind" || (key == WarmStartKey && Names.IsPolicyGradient(kind)))
                continue;
            var path = agent.ChildPath(key);
            if (known.FirstOrDefault(p => p.Name == key) is not { } parameter)
            {
                Section.ReportUnknownKey(sink, keyNode, path, $"unknown hyper-parameter '{key}' for kind {kind}",
                    [.. known.Select(p => p.Name)]);
                continue;
            }
            if (parameter.Switch)
            {
                if (value is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any, Value: "true" or "false" or "1" or "0" } flag)
                    parameters[key] = flag.Value is "true" or "1" ? 1 : 0;
                else
                    sink.At(value, path, $"expected true or false (or 1 / 0), got {Scalars.Describe(value)}");
            }
            else if (Scalars.TryReadNumber(sink, value, path, parameter.Bounds, parameter.Integer, out var v))
                parameters[key] = v;
        }
        return parameters;
    }

    /// <summary>
    /// A policy-gradient agent's <c>warmStart:</c>, a network saved by <c>train-offline</c>, relative to the
    /// scenario's folder; checked to exist here so that a typo fails before any silo starts.
    /// </summary>
    private static string? ReadWarmStart(Section agent, string kind, ProblemSink sink)
    {
        if (!Names.IsPolicyGradient(kind) || agent.Value(WarmStartKey) is not { } node) return null;
        var path = agent.ChildPath(WarmStartKey);
        if (!Scalars.TryReadText(sink, node, path, "the path of a network saved by train-offline", out var text)) return null;
        var full = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(sink.File)) ?? ".", text));
        if (File.Exists(full)) return full;
        sink.At(node, path, $"no such file '{text}' (looked for {full}); write one with: train-offline <scenario.yaml> <log.csv> --agent <id> --out <file>");
        return null;
    }

    private static string[] ReadArms(Section root, AgentList agents, ProblemSink sink)
    {
        var node = root.Value("arms");
        // Index keeps each arm's position in the file for messages, since unreadable entries are dropped.
        var written = new List<(string Arm, YamlNode? Node, int Index)>();
        if (node is null || Scalars.IsNull(node))
        {
            written.AddRange(DefaultArms.Select((a, i) => (a, (YamlNode?)null, i)));
        }
        else if (node is not YamlSequenceNode sequence)
        {
            sink.At(node, "arms", $"expected a sequence of arms ({string.Join(", ", ArmForms)}), got {Scalars.Describe(node)}");
            return [];
        }
        else if (sequence.Children.Count == 0)
        {
            sink.At(node, "arms", $"at least one arm is needed (allowed: {string.Join(", ", ArmForms)})");
            return [];
        }
        else
        {
            for (var i = 0; i < sequence.Children.Count; i++)
            {
                if (Scalars.TryReadText(sink, sequence.Children[i], $"arms[{i}]", $"an arm ({string.Join(", ", ArmForms)})", out var arm))
                    written.Add((arm, sequence.Children[i], i));
            }
        }

        var expanded = new List<string>();
        (string Arm, YamlNode? Node)? firstNeedingAgents = null;
        foreach (var (arm, at, i) in written)
        {
            if (arm is Names.Ensemble or Names.Random or Names.Oracle or Names.PopularityOracle)
            {
                expanded.Add(arm);
            }
            else if (arm == "solo")
            {
                expanded.AddRange(agents.WrittenIds.Select(id => Names.SoloPrefix + id));
            }
            else if (arm.StartsWith(Names.SoloPrefix, StringComparison.Ordinal))
            {
                var id = arm[Names.SoloPrefix.Length..];
                if (!agents.WrittenIds.Contains(id, StringComparer.Ordinal))
                {
                    var ids = agents.WrittenIds.Count == 0 ? "no agents are defined" : $"agent ids: {string.Join(", ", agents.WrittenIds.Distinct())}";
                    sink.At(at, $"arms[{i}]", $"'{arm}' names no agent ({ids})");
                }
                expanded.Add(arm);
            }
            else
            {
                sink.At(at, $"arms[{i}]", $"unknown arm '{arm}' (allowed: {string.Join(", ", ArmForms)})");
                continue;
            }

            if (arm is not (Names.Random or Names.Oracle or Names.PopularityOracle))
                firstNeedingAgents ??= (arm, at);
        }

        if (firstNeedingAgents is { } needs && agents.Written == 0)
        {
            var which = needs.Arm == Names.Ensemble ? "the ensemble arm" : $"the arm '{needs.Arm}'";
            var why = needs.Node is null ? $" (arms defaults to [{string.Join(", ", DefaultArms)}]; add agents or list the arms)" : "";
            sink.At(agents.Node ?? needs.Node ?? root.Node, "agents", $"{which} needs at least one agent{why}");
        }

        return [.. expanded.Distinct(StringComparer.Ordinal)];
    }
}
