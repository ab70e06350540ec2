namespace MultiAgentRec.Evaluation;

/// <summary>
/// A logged-feedback file that cannot be evaluated: names the file and the line (1 = the header;
/// 0 when the problem is the file as a whole) so the command line can print it as one line.
/// </summary>
public sealed class LogFormatException(string file, int line, string problem)
    : Exception(line > 0 ? $"{file}:{line}: {problem}" : $"{file}: {problem}")
{
    public string File { get; } = file;
    public int Line { get; } = line;
    public string Problem { get; } = problem;
}
