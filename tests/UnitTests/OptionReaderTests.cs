using MultiAgentRec.Client;

namespace MultiAgentRec.UnitTests;

public sealed class OptionReaderTests
{
    /// <summary>Reads every option as a command's switch does, and returns what it read and the error.</summary>
    private static (List<string> Read, string? Error) ReadAll(params string[] args)
    {
        var reader = new OptionReader(args);
        var read = new List<string>();
        while (reader.Next() is { } option)
        {
            switch (option)
            {
                case "--count": read.Add($"count={reader.WholeNumber(1)}"); break;
                case "--out": read.Add($"out={reader.Text("a folder")}"); break;
                case "--mode": read.Add($"mode={reader.OneOf("fast", "slow")}"); break;
                case "--flag": read.Add("flag"); break;
                default: reader.Unknown(); break;
            }
        }
        return (read, reader.Error);
    }

    [Fact]
    public void Options_are_read_in_order_each_by_its_rule()
    {
        var (read, error) = ReadAll("--flag", "--count", "3", "--out", "runs/x", "--mode", "slow");

        Assert.Null(error);
        Assert.Equal(["flag", "count=3", "out=runs/x", "mode=slow"], read);
    }

    [Theory]
    [InlineData("--count 0 --flag", "--count needs a whole number >= 1, got '0'")]
    [InlineData("--count 2.5", "--count needs a whole number >= 1, got '2.5'")]
    [InlineData("--count -3", "--count needs a whole number >= 1, got '-3'")]
    [InlineData("--mode both", "--mode needs 'fast' or 'slow', got 'both'")]
    [InlineData("--out", "--out needs a folder")]
    [InlineData("--out --flag", "--out needs a folder")]
    [InlineData("--flag --frobnicate --count x", "unknown option '--frobnicate'")]
    [InlineData("runs/x", "unknown option 'runs/x'")]
    public void The_first_bad_option_ends_the_walk_with_one_line_naming_it_what_it_needs_and_what_it_got(string args, string expected)
    {
        var (_, error) = ReadAll(args.Split(' '));

        Assert.Equal(expected, error);
    }

    [Fact]
    public void Nothing_after_a_bad_option_is_read()
    {
        var (read, error) = ReadAll("--flag", "--frobnicate", "--count", "x");

        Assert.Equal("unknown option '--frobnicate'", error);
        Assert.Equal(["flag"], read);
    }
}
