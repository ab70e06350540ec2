using MultiAgentRec.Contracts;
using YamlDotNet.RepresentationModel;

namespace MultiAgentRec.Client.Scenarios;

/// <summary>
/// Reads a scenario's <c>events:</c>, a sequence of entries each with a <c>round</c> and one event
/// type, and checks them against the rest of the scenario: rounds inside the run, segments and
/// agent ids that exist, enough items at round 0 to fill a slate, agent additions and removals
/// that make sense in order, and an ensemble that always keeps an agent. Every problem names its line.
/// </summary>
internal static class ScenarioEventReader
{
    private static readonly string[] EntryKeys = ["round", .. ScenarioEvent.Kinds];
    private static readonly string[] ShiftKeys = ["segments", "amount"];
    private static readonly string[] NewItemsKeys = ["count"];
    private static readonly string[] CohortKeys = ["users"];

    /// <summary>What events are checked against.</summary>
    public sealed record Context(int Rounds, int Items, int SlateSize, int Segments, IReadOnlyList<string> AgentIds, IReadOnlyList<string> Arms);

    /// <summary>An event read from the file with the node its cross-checks point at.</summary>
    private sealed record Written(ScenarioEvent Event, YamlNode At, string Path);

    public static ScenarioEvent[] Read(YamlNode? node, ProblemSink sink, Context context)
    {
        if (node is null || Scalars.IsNull(node)) return [];
        if (node is not YamlSequenceNode sequence)
        {
            sink.At(node, "events", $"expected a sequence of events (each a mapping with round and one of {string.Join(", ", ScenarioEvent.Kinds)}), got {Scalars.Describe(node)}");
            return [];
        }

        var written = new List<Written>();
        var anyBad = false;
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            if (ReadEntry(sequence.Children[i], $"events[{i}]", sink, context) is { } e) written.Add(e);
            else anyBad = true;
        }
        // Cross-checks need every event: with one unreadable they would only add confusing follow-ups.
        if (!anyBad)
        {
            CheckItems(written, sink, context);
            CheckAgents(written, sink, context);
        }
        return [.. written.Select(w => w.Event)];
    }

    private static Written? ReadEntry(YamlNode node, string path, ProblemSink sink, Context context)
    {
        if (node is not YamlMappingNode)
        {
            sink.At(node, path, $"expected a mapping with round and one of {string.Join(", ", ScenarioEvent.Kinds)}, got {Scalars.Describe(node)}");
            return null;
        }
        var problemsBefore = sink.Count;
        var entry = Section.Open(sink, node, path, EntryKeys);

        int? round = null;
        if (entry.Value("round") is not { } roundNode)
            sink.At(node, entry.ChildPath("round"), $"required: the round the event takes effect in (1 to {context.Rounds - 1})");
        else if (context.Rounds < 2)
            sink.At(roundNode, entry.ChildPath("round"), $"a run of {context.Rounds} round has no round for an event after its start; raise rounds");
        else if (Scalars.TryReadNumber(sink, roundNode, entry.ChildPath("round"), new Bounds(1, true, context.Rounds - 1, true), integer: true, out var r))
            round = (int)r;

        string? kind = null;
        YamlNode? kindNode = null;
        foreach (var (key, keyNode, value) in entry.Entries)
        {
            if (key == "round") continue;
            if (kind is not null)
            {
                sink.At(keyNode, entry.ChildPath(key), $"one event type per entry ('{kind}' is given on line {kindNode!.Start.Line}); write a separate entry with the same round");
                continue;
            }
            (kind, kindNode) = (key, value);
        }
        if (kind is null)
        {
            // An unknown key already reported is most likely the misspelt type: saying it is missing too would only repeat that.
            if (entry.Node is not null && sink.Count == problemsBefore)
                sink.At(node, path, $"needs one event type (allowed: {string.Join(", ", ScenarioEvent.Kinds)})");
            return null;
        }

        var kindPath = entry.ChildPath(kind);
        var e = kind switch
        {
            ScenarioEvent.PreferenceShift => ReadShift(Section.Open(sink, kindNode, kindPath, ShiftKeys), sink, context),
            ScenarioEvent.NewItems => ReadCount(Section.Open(sink, kindNode, kindPath, NewItemsKeys), "count", "how many new items arrive", sink, ScenarioEvent.ReleaseItems),
            ScenarioEvent.Cohort => ReadCount(Section.Open(sink, kindNode, kindPath, CohortKeys), "users", "how many cold-start users join", sink, ScenarioEvent.JoinCohort),
            _ => ReadAgent(kindNode!, kindPath, kind, sink, context),
        };
        if (e is null || round is null || sink.Count > problemsBefore) return null;
        return new Written(e with { Round = round.Value }, kindNode!, kindPath);
    }

    private static ScenarioEvent? ReadShift(Section shift, ProblemSink sink, Context context)
    {
        var amount = shift.Number("amount", 1, new Bounds(0, false, 1, true));
        var segments = new List<int>();
        if (shift.Value("segments") is { } node && !Scalars.IsNull(node))
        {
            var path = shift.ChildPath("segments");
            if (node is not YamlSequenceNode list || list.Children.Count == 0)
            {
                sink.At(node, path, $"expected a non-empty list of segment numbers (0 to {context.Segments - 1}), or leave it out to shift every segment; got {Scalars.Describe(node)}");
                return null;
            }
            for (var i = 0; i < list.Children.Count; i++)
            {
                if (!Scalars.TryReadNumber(sink, list.Children[i], $"{path}[{i}]", new Bounds(0, true, context.Segments - 1, true), integer: true, out var s))
                    continue;
                if (segments.Contains((int)s))
                    sink.At(list.Children[i], $"{path}[{i}]", $"segment {(int)s} is listed twice");
                segments.Add((int)s);
            }
        }
        return ScenarioEvent.ShiftPreferences(0, [.. segments.Distinct()], amount);
    }

    private static ScenarioEvent? ReadCount(Section section, string key, string what, ProblemSink sink, Func<int, int, ScenarioEvent> make)
    {
        if (!section.Usable) return null;
        if (section.Value(key) is null)
        {
            sink.At(section.Node, section.ChildPath(key), $"required: {what} (an integer >= 1)");
            return null;
        }
        return make(0, section.Int(key, 0, Bounds.AtLeast(1)));
    }

    private static ScenarioEvent? ReadAgent(YamlNode node, string path, string kind, ProblemSink sink, Context context)
    {
        if (!Scalars.TryReadText(sink, node, path, "an agent id", out var id)) return null;
        if (!context.AgentIds.Contains(id, StringComparer.Ordinal))
        {
            var ids = context.AgentIds.Count == 0 ? "no agents are defined" : $"agent ids: {string.Join(", ", context.AgentIds.Distinct())}";
            sink.At(node, path, $"'{id}' names no agent ({ids})");
            return null;
        }
        return kind == ScenarioEvent.AddAgent ? ScenarioEvent.Add(0, id) : ScenarioEvent.Remove(0, id);
    }

    // Arriving items are taken from the catalog's end, so the rest must still fill a slate at round 0.
    private static void CheckItems(List<Written> written, ProblemSink sink, Context context)
    {
        var arrivals = written.Where(w => w.Event.Kind == ScenarioEvent.NewItems).ToList();
        var total = arrivals.Sum(w => (long)w.Event.Count);
        if (arrivals.Count > 0 && context.Items - total < context.SlateSize)
        {
            var last = arrivals[^1];
            sink.At(last.At, last.Path, $"catalog.items ({context.Items}) are all the items of the run, new ones included: {total} arriving by events leave {context.Items - total} at round 0, and a slate needs {context.SlateSize}");
        }
    }

    // Each agent's additions and removals must alternate, and the ensemble must keep an agent.
    private static void CheckAgents(List<Written> written, ProblemSink sink, Context context)
    {
        var changes = written.Where(w => w.Event.Kind is ScenarioEvent.AddAgent or ScenarioEvent.RemoveAgent).OrderBy(w => w.Event.Round).ToList();
        if (changes.Count == 0) return;
        if (!context.Arms.Contains(Names.Ensemble))
        {
            sink.At(changes[0].At, changes[0].Path, $"addAgent and removeAgent change the ensemble arm only (solo arms always run their agent), and arms has no '{Names.Ensemble}'");
            return;
        }
        var active = context.AgentIds.Distinct().ToDictionary(id => id, id => changes.FirstOrDefault(c => c.Event.AgentId == id)?.Event.Kind != ScenarioEvent.AddAgent);
        var lastChange = new Dictionary<string, Written>();
        var ok = true;
        foreach (var c in changes)
        {
            var (id, adding) = (c.Event.AgentId, c.Event.Kind == ScenarioEvent.AddAgent);
            lastChange.TryGetValue(id, out var previous);
            if (previous is not null && previous.Event.Round == c.Event.Round)
            {
                sink.At(c.At, c.Path, $"agent '{id}' already changes at round {c.Event.Round} (line {previous.At.Start.Line})");
                ok = false;
            }
            else if (previous is not null && active[id] == adding)
            {
                sink.At(c.At, c.Path, adding
                    ? $"agent '{id}' is already in the ensemble at round {c.Event.Round} (added on line {previous.At.Start.Line})"
                    : $"agent '{id}' is not in the ensemble at round {c.Event.Round} (removed on line {previous.At.Start.Line})");
                ok = false;
            }
            active[id] = adding;
            lastChange[id] = c;
            if (ok && !active.Values.Contains(true))
            {
                sink.At(c.At, c.Path, $"removes the ensemble's last agent at round {c.Event.Round}; the ensemble needs at least one agent in every round");
                return;
            }
        }
        // Agents that start absent must be added before the first round can be played.
        if (ok && !context.AgentIds.Distinct().Any(id => changes.FirstOrDefault(c => c.Event.AgentId == id)?.Event.Kind != ScenarioEvent.AddAgent))
        {
            var first = changes[0];
            sink.At(first.At, first.Path, "every agent starts absent (its first event is addAgent), so the ensemble has no agent at round 0; leave one agent without an addAgent event");
        }
    }
}
