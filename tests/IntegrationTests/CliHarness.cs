using MultiAgentRec.Client;

namespace MultiAgentRec.IntegrationTests;

/// <summary>Runs the command line in process, capturing what it prints, as a user would see it.</summary>
internal static class CliHarness
{
    public static async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await new Cli(stdout, stderr).ExecuteAsync(args);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
