return await MultiAgentRec.Client.Cli.RunAsync(args);
