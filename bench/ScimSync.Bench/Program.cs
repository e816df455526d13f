using ScimSync.Bench;

return BenchmarkCommands.Run(args, Console.Out);
