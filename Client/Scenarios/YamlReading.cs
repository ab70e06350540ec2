using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace MultiAgentRec.Client.Scenarios;

/// <summary>Collects the problems of one file so that validation can carry on past each of them.</summary>
internal sealed class ProblemSink(string file)
{
    private readonly List<ScenarioProblem> problems = [];

    /// <summary>The scenario file the problems belong to (paths inside it are relative to its folder).</summary>
    public string File => file;

    /// <summary>Records a problem at a node (or at the whole file when there is none), prefixed with its dotted path.</summary>
    public void At(YamlNode? node, string path, string message)
    {
        var text = path.Length == 0 ? message : $"{path}: {message}";
        if (node is null)
            problems.Add(new ScenarioProblem(file, 0, 0, text));
        else
            At(node.Start, text);
    }

    /// <summary>Records a problem at a raw position, as the YAML parser reports them.</summary>
    public void At(Mark mark, string message) =>
        problems.Add(new ScenarioProblem(file, checked((int)mark.Line), checked((int)mark.Column), message));

    /// <summary>Whether any problem was recorded so far.</summary>
    public bool Any => problems.Count > 0;

    /// <summary>How many problems were recorded so far (to tell whether a read added any).</summary>
    public int Count => problems.Count;

    /// <summary>The problems in file order, so that a reader fixes them top to bottom.</summary>
    public IReadOnlyList<ScenarioProblem> InFileOrder() =>
        [.. problems.OrderBy(p => p.Line).ThenBy(p => p.Column)];
}

/// <summary>An allowed interval for a number, with the wording used when a value falls outside it.</summary>
internal readonly record struct Bounds(double? Min, bool MinInclusive, double? Max, bool MaxInclusive)
{
    /// <summary>Any finite number.</summary>
    public static readonly Bounds Any = new(null, false, null, false);

    /// <summary>The closed interval [0, 1], for rates and probabilities.</summary>
    public static readonly Bounds UnitInterval = new(0, true, 1, true);

    /// <summary>v &gt;= min.</summary>
    public static Bounds AtLeast(double min) => new(min, true, null, false);

    /// <summary>v &gt; min.</summary>
    public static Bounds Above(double min) => new(min, false, null, false);

    /// <summary>Whether a value lies inside.</summary>
    public bool Contains(double v) =>
        (Min is not { } lo || (MinInclusive ? v >= lo : v > lo)) &&
        (Max is not { } hi || (MaxInclusive ? v <= hi : v < hi));

    /// <summary>The constraint as a phrase that completes "must be ...".</summary>
    public string Describe()
    {
        string? lower = Min is { } lo ? $"{(MinInclusive ? ">=" : ">")} {Format(lo)}" : null;
        string? upper = Max is { } hi ? $"{(MaxInclusive ? "<=" : "<")} {Format(hi)}" : null;
        if (lower is not null && upper is not null)
            return MinInclusive && MaxInclusive ? $"between {Format(Min!.Value)} and {Format(Max!.Value)}" : $"{lower} and {upper}";
        return lower ?? upper ?? "a finite number";
    }

    /// <summary>A number as it would be written in the scenario file.</summary>
    public static string Format(double v) => v.ToString(CultureInfo.InvariantCulture);
}

/// <summary>Typed reads of YAML scalars that report what was wrong instead of throwing.</summary>
internal static class Scalars
{
    // Signs, decimals and exponents only: thousands separators and hex would make "1,000" or "0x10"
    // mean something other YAML tools disagree on.
    private const NumberStyles NumberStyle =
        NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;

    /// <summary>Whether a node is YAML's null (a key written with no value, ~ or null).</summary>
    public static bool IsNull(YamlNode? node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any, Value: null or "" or "~" or "null" or "Null" or "NULL" };

    /// <summary>The node as a short phrase for "got ..." in messages.</summary>
    public static string Describe(YamlNode node) => node switch
    {
        _ when IsNull(node) => "an empty value",
        YamlScalarNode { Style: ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted } s => $"the quoted string '{s.Value}'",
        YamlScalarNode s => $"'{s.Value}'",
        YamlMappingNode => "a mapping",
        YamlSequenceNode => "a sequence",
        _ => "an unsupported node",
    };

    /// <summary>Parses a plain scalar as a finite number; quoted scalars are strings in YAML, so they do not count.</summary>
    public static bool TryParseNumber(YamlNode node, out double value)
    {
        value = 0;
        return node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any, Value: { } text }
            && double.TryParse(text, NumberStyle, CultureInfo.InvariantCulture, out value)
            && double.IsFinite(value);
    }

    /// <summary>Reads a number (or an integer) inside bounds, reporting the first thing wrong with it.</summary>
    public static bool TryReadNumber(ProblemSink sink, YamlNode node, string path, Bounds bounds, bool integer, out double value)
    {
        var expected = integer ? "an integer" : "a number";
        if (!TryParseNumber(node, out value))
        {
            var hint = node is YamlScalarNode { Style: ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted } s
                && double.TryParse(s.Value, NumberStyle, CultureInfo.InvariantCulture, out _)
                ? " (write numbers without quotes)" : "";
            sink.At(node, path, $"expected {expected}, got {Describe(node)}{hint}");
            return false;
        }
        var written = ((YamlScalarNode)node).Value;
        if (integer && Math.Floor(value) != value)
        {
            sink.At(node, path, $"expected an integer, got '{written}'");
            return false;
        }
        if (integer && (value < int.MinValue || value > int.MaxValue))
        {
            sink.At(node, path, $"expected an integer between {int.MinValue} and {int.MaxValue}, got '{written}'");
            return false;
        }
        if (!bounds.Contains(value))
        {
            sink.At(node, path, $"must be {bounds.Describe()}, got {written}");
            return false;
        }
        return true;
    }

    /// <summary>Reads a non-empty scalar as text; any scalar style is fine because names like 123 are still names.</summary>
    public static bool TryReadText(ProblemSink sink, YamlNode node, string path, string expected, out string text)
    {
        if (node is YamlScalarNode { Value: { } v } && !IsNull(node))
        {
            text = v;
            return true;
        }
        sink.At(node, path, $"expected {expected}, got {Describe(node)}");
        text = "";
        return false;
    }
}

/// <summary>A YAML mapping read key by key under a dotted path; an absent or empty section reads as all defaults.</summary>
internal sealed class Section
{
    private readonly ProblemSink sink;
    private readonly Dictionary<string, (YamlScalarNode Key, YamlNode Value)> entries = new(StringComparer.Ordinal);
    private readonly HashSet<string> failed = new(StringComparer.Ordinal);

    private Section(ProblemSink sink, string path, YamlMappingNode? node)
    {
        this.sink = sink;
        Path = path;
        Node = node;
    }

    /// <summary>The dotted path of this mapping; empty at the top level.</summary>
    public string Path { get; }

    /// <summary>The mapping itself, or null when the section was left out or was not a mapping.</summary>
    public YamlMappingNode? Node { get; }

    /// <summary>False when the section was present but not a mapping, so checks that combine its values must not run.</summary>
    public bool Usable { get; private init; } = true;

    /// <summary>The keys in file order, with their nodes, for sections whose keys are not fixed (agents).</summary>
    public IEnumerable<(string Key, YamlScalarNode KeyNode, YamlNode Value)> Entries =>
        entries.Select(e => (e.Key, e.Value.Key, e.Value.Value));

    /// <summary>
    /// Reads a mapping, reporting non-mappings and, when <paramref name="allowedKeys"/> is given, every unknown key.
    /// YAML null reads as an empty mapping because "catalog:" with all its lines commented out means "the defaults".
    /// </summary>
    public static Section Open(ProblemSink sink, YamlNode? node, string path, IReadOnlyList<string>? allowedKeys)
    {
        if (node is null || Scalars.IsNull(node))
            return new Section(sink, path, null);
        if (node is not YamlMappingNode mapping)
        {
            var keys = allowedKeys is null ? "" : $" (keys: {string.Join(", ", allowedKeys)})";
            sink.At(node, path, $"expected a mapping{keys}, got {Scalars.Describe(node)}");
            return new Section(sink, path, null) { Usable = false };
        }

        var section = new Section(sink, path, mapping);
        foreach (var (keyNode, value) in mapping.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { } key } scalarKey || Scalars.IsNull(keyNode))
            {
                sink.At(keyNode, path, $"keys must be plain names, got {Scalars.Describe(keyNode)}");
                continue;
            }
            if (allowedKeys is not null && !allowedKeys.Contains(key, StringComparer.Ordinal))
            {
                ReportUnknownKey(sink, scalarKey, section.ChildPath(key),
                    $"unknown key '{key}' {(path.Length == 0 ? "at the top level" : $"in {path}")}", allowedKeys);
                continue;
            }
            section.entries[key] = (scalarKey, value);
        }
        return section;
    }

    /// <summary>Reports an unknown name with the allowed ones, suggesting the one that differs only in case.</summary>
    public static void ReportUnknownKey(ProblemSink sink, YamlNode at, string path, string what, IReadOnlyList<string> allowed)
    {
        var near = allowed.FirstOrDefault(a => string.Equals(a, ((YamlScalarNode)at).Value, StringComparison.OrdinalIgnoreCase));
        var suggestion = near is null ? "" : $"; did you mean '{near}'?";
        var list = allowed.Count == 0 ? "none" : string.Join(", ", allowed);
        sink.At(at, path, $"{what} (allowed: {list}){suggestion}");
    }

    /// <summary>The dotted path of a key of this mapping.</summary>
    public string ChildPath(string key) => Path.Length == 0 ? key : $"{Path}.{key}";

    /// <summary>The value written for a key, or null when it is left out.</summary>
    public YamlNode? Value(string key) => entries.TryGetValue(key, out var e) ? e.Value : null;

    /// <summary>Whether a key's value was present but rejected, so that cross-checks on it are skipped.</summary>
    public bool Failed(string key) => !Usable || failed.Contains(key);

    /// <summary>An integer key, or its default when left out.</summary>
    public int Int(string key, int fallback, Bounds bounds) =>
        (int)Read(key, fallback, bounds, integer: true);

    /// <summary>A number key, or its default when left out.</summary>
    public double Number(string key, double fallback, Bounds bounds) =>
        Read(key, fallback, bounds, integer: false);

    /// <summary>A key whose value is one of a fixed set of words, or its default when left out.</summary>
    public string OneOf(string key, string fallback, IReadOnlyList<string> allowed, string noun)
    {
        if (Value(key) is not { } node)
            return fallback;
        if (!Scalars.TryReadText(sink, node, ChildPath(key), $"one of {string.Join(", ", allowed)}", out var text))
        {
            failed.Add(key);
            return fallback;
        }
        if (!allowed.Contains(text, StringComparer.Ordinal))
        {
            sink.At(node, ChildPath(key), $"unknown {noun} '{text}' (allowed: {string.Join(", ", allowed)})");
            failed.Add(key);
            return fallback;
        }
        return text;
    }

    /// <summary>A nested mapping under a key, checked against its allowed keys.</summary>
    public Section Sub(string key, IReadOnlyList<string> allowedKeys) =>
        Open(sink, Value(key), ChildPath(key), allowedKeys);

    private double Read(string key, double fallback, Bounds bounds, bool integer)
    {
        if (Value(key) is not { } node)
            return fallback;
        if (Scalars.TryReadNumber(sink, node, ChildPath(key), bounds, integer, out var value))
            return value;
        failed.Add(key);
        return fallback;
    }
}
