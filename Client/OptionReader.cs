using System.Globalization;

namespace MultiAgentRec.Client;

/// <summary>
/// Walks a command's options one at a time ("--name value", or a lone "--flag") for a switch over
/// their names, and reads each one's value by the rule its option states. The first missing or bad
/// value, or unknown option, ends the walk with one line naming the option, what it needs and what it
/// got (<see cref="Error"/>); the command prints it and exits with <see cref="ExitCodes.BadInput"/>.
/// </summary>
/// <remarks>A value never starts with "--", as in <c>run</c>: "--out --repeat 3" is a missing folder, not a folder named "--repeat".</remarks>
internal sealed class OptionReader(string[] args)
{
    private int _at = -1;
    private string _option = "";

    /// <summary>The first problem found, or null.</summary>
    public string? Error { get; private set; }

    /// <summary>The next option, or null when there is none left or a problem was found.</summary>
    public string? Next()
    {
        if (Error is not null || ++_at >= args.Length) return null;
        return _option = args[_at];
    }

    /// <summary>The current option's value, a whole number of at least <paramref name="min"/>; null when it is not one.</summary>
    public int? WholeNumber(int min)
    {
        var number = 0;
        return Value($"a whole number >= {min}", text => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out number) && number >= min) is null ? null : number;
    }

    /// <summary>The current option's value, which is any text; <paramref name="what"/> names it in the error when it is missing ("a folder").</summary>
    public string? Text(string what) => Value(what, _ => true);

    /// <summary>The current option's value, one of <paramref name="choices"/>; null when it is another.</summary>
    public string? OneOf(params string[] choices) =>
        Value(string.Join(" or ", choices.Select(c => $"'{c}'")), choices.Contains);

    /// <summary>
    /// The current option's value when <paramref name="valid"/> accepts it; else null, with the error
    /// "OPTION needs <paramref name="what"/>, got 'VALUE'" (or without "got" when the value is missing).
    /// </summary>
    public string? Value(string what, Func<string, bool> valid)
    {
        var value = _at + 1 < args.Length && !args[_at + 1].StartsWith("--", StringComparison.Ordinal) ? args[++_at] : null;
        if (value is not null && valid(value)) return value;
        Error = value is null ? $"{_option} needs {what}" : $"{_option} needs {what}, got '{value}'";
        return null;
    }

    /// <summary>Records that the current argument is no option of the command.</summary>
    public void Unknown() => Error = $"unknown option '{_option}'";
}
