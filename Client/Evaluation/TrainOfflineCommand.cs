using System.Globalization;
using MultiAgentRec.Client.Scenarios;
using MultiAgentRec.Contracts;
using MultiAgentRec.Evaluation;
using MultiAgentRec.Simulation;
using MultiAgentRec.Training;

namespace MultiAgentRec.Client.Evaluation;

/// <summary>The <c>train-offline</c> command: a REINFORCE agent trained from logs, saved for a warm start.</summary>
public sealed class TrainOfflineCommand(TextWriter stdout, TextWriter stderr)
{
    public const string Help = """
        Usage: dotnet run -c Release --project Client -- train-offline <scenario.yaml> <log.csv> --agent ID --out FILE [options]

        Trains the network of the scenario's REINFORCE agent ID from a log of that scenario's world
        (written by simulate-logs). Learners (--learner):
          reinforce  the loss the trainer uses online: REINFORCE with the top-K off-policy correction,
                     importance-weighted against the log's propensities (Chen et al., WSDM 2019)
          ipw        the IPW learner baseline: maximises the IPW estimate, −mean((r/β)·log π(a|x))
        Saves the network with TorchSharp; start the agent from it with `warmStart: FILE` in the
        scenario (the path is relative to the scenario's folder). It keeps learning online from there.

        Options:
          --agent ID       the reinforce agent of the scenario to train (its hyper-parameters shape the network)
          --out FILE       where to save the network
          --learner NAME   reinforce (default) or ipw
          --epochs N       passes over the log (default 5)
          --minibatch N    rows per gradient step (default 512)
          -h, --help       show this help

        Example:
          dotnet run -c Release --project Client -- simulate-logs scenarios/quickstart.yaml --out runs/simlog
          dotnet run -c Release --project Client -- train-offline scenarios/quickstart.yaml runs/simlog/interactions.csv --agent pg --out runs/pg-offline.bin
        """;

    public int Execute(string[] args)
    {
        if (args.Contains("-h") || args.Contains("--help")) { stdout.WriteLine(Help); return ExitCodes.Success; }
        var positional = new List<string>();
        string? agentId = null, outFile = null, error = null;
        var learner = OfflineReinforceTraining.Reinforce;
        int epochs = 5, minibatch = 512;
        for (var i = 0; i < args.Length && error is null; i++)
        {
            var a = args[i];
            var value = a.StartsWith("--", StringComparison.Ordinal) && i + 1 < args.Length ? args[++i] : null;
            switch (a)
            {
                case "--agent": agentId = value ?? (error = "--agent needs an agent id"); break;
                case "--out": outFile = value ?? (error = "--out needs a file"); break;
                case "--learner":
                    if (value is not null && OfflineReinforceTraining.Learners.Contains(value)) learner = value;
                    else error = $"--learner needs one of {string.Join(", ", OfflineReinforceTraining.Learners)}, got '{value}'";
                    break;
                case "--epochs":
                    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out epochs) || epochs < 1) error = "--epochs needs a whole number ≥ 1";
                    break;
                case "--minibatch":
                    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out minibatch) || minibatch < 1) error = "--minibatch needs a whole number ≥ 1";
                    break;
                default:
                    if (a.StartsWith('-')) error = $"unknown option '{a}'";
                    else positional.Add(a);
                    break;
            }
        }
        if (error is null && positional.Count != 2) error = "train-offline needs a scenario file and a log file";
        if (error is null && (agentId is null || outFile is null)) error = "train-offline needs --agent ID and --out FILE";
        if (error is not null)
        {
            stderr.WriteLine($"error: {error}");
            stderr.WriteLine("Run 'train-offline --help' for usage.");
            return ExitCodes.BadInput;
        }
        var loaded = ScenarioLoader.LoadFile(positional[0]);
        if (!loaded.Ok)
        {
            foreach (var p in loaded.Problems) stderr.WriteLine(p.ToString());
            return ExitCodes.BadInput;
        }
        var spec = loaded.Spec!;
        var agent = spec.Agents.FirstOrDefault(x => x.Id == agentId && Names.IsPolicyGradient(x.Kind));
        if (agent is null)
        {
            var choices = string.Join(", ", spec.Agents.Where(x => Names.IsPolicyGradient(x.Kind)).Select(x => x.Id));
            stderr.WriteLine($"error: {positional[0]}: no reinforce agent '{agentId}' (reinforce agents: {(choices.Length > 0 ? choices : "none")})");
            return ExitCodes.BadInput;
        }
        try
        {
            TorchRuntime.EnsureAvailable();
            var log = BanditFeedbackReader.Read(positional[1]);
            var (steps, loss) = OfflineReinforceTraining.TrainAndSave(new World(spec), agent, log, learner, epochs, minibatch, outFile!);
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Trained '{agent.Id}' ({learner} learner) on {log.Rows:N0} logged rows: {steps} steps, last-epoch loss {loss:G4}. Saved: {Path.GetFullPath(outFile!)}"));
            stdout.WriteLine($"Start the agent from it with 'warmStart: {Path.GetFullPath(outFile!)}' in the scenario (a relative path is read from the scenario's folder).");
            return ExitCodes.Success;
        }
        catch (LogFormatException e)
        {
            stderr.WriteLine($"error: {e.Message}");
            return ExitCodes.BadInput;
        }
        catch (TorchUnavailableException e)
        {
            stderr.WriteLine($"error: {e.Message}");
            return ExitCodes.Failure;
        }
    }
}
