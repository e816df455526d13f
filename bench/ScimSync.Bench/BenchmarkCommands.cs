using BenchmarkDotNet.Running;
using ScimSync.Bench.Mapping;
using ScimSync.Bench.Queue;
using ScimSync.Bench.Sync;

namespace ScimSync.Bench;

/// <summary>The benchmark subcommands. Add an area by adding a line to <see cref="Commands"/>.</summary>
internal static class BenchmarkCommands
{
    private static readonly (string Name, string Description, Func<string[], int> Run)[] Commands =
    [
        ("mapping", "map a page of 10,000 synthetic users with the Atlassian defaults plus expression mappings",
            rest => RunBenchmarks<MappingBenchmarks>(rest, MappingBenchmarks.Summarize)),
        ("sync", "the whole engine on Azurite and both emulators: initial, unthrottled, incremental, no-op and a large cycle ('sync --help')",
            RunSync),
        ("queue", "what a message's receive and delete cost on Azurite as its queues fill up (why cycles send in waves)",
            _ => AzuriteQueueDepthProbe.RunAsync(Console.Out, CancellationToken.None).GetAwaiter().GetResult()),
        (GraphEmulatorProcess.Command, "the Graph emulator serving a synthetic tenant until standard input closes; the 'sync' cycle scenario runs it in a process of its own",
            rest => GraphEmulatorProcess.ServeAsync(rest, Console.Out, Console.In).GetAwaiter().GetResult()),
    ];

    public static int Run(string[] args, TextWriter output)
    {
        var index = args.Length == 0 ? -1 : Array.FindIndex(Commands, c => string.Equals(c.Name, args[0], StringComparison.OrdinalIgnoreCase));
        if (index < 0)
        {
            output.WriteLine("usage: dotnet run -c Release --project bench/ScimSync.Bench -- <benchmark> [BenchmarkDotNet options]");
            output.WriteLine();
            foreach (var (name, description, _) in Commands)
            {
                output.WriteLine($"  {name,-10} {description}");
            }

            return args.Length == 0 ? 0 : 2;
        }

        return Commands[index].Run(args[1..]);
    }

    private static int RunSync(string[] rest)
    {
        if (rest is ["--help" or "-h", ..])
        {
            Console.Out.WriteLine(SyncBenchOptions.Usage);
            return 0;
        }

        SyncBenchOptions options;
        try
        {
            options = SyncBenchOptions.Parse(rest);
        }
        catch (ArgumentException invalid)
        {
            Console.Error.WriteLine(invalid.Message);
            Console.Error.WriteLine(SyncBenchOptions.Usage);
            return 2;
        }

        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        return SyncBenchmark.RunAsync(options, Console.Out, stop.Token).GetAwaiter().GetResult();
    }

    private static int RunBenchmarks<T>(string[] rest, Action<BenchmarkDotNet.Reports.Summary> summarize)
    {
        var summary = BenchmarkRunner.Run<T>(BenchConfig.Create(), rest);
        summarize(summary);
        return summary.HasCriticalValidationErrors || summary.Reports.Any(r => !r.Success) ? 1 : 0;
    }
}
