using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace ScimSync.Bench;

/// <summary>
/// One configuration for every benchmark: in-process (no separate build of a generated project, which takes minutes
/// on a small shared machine), a few warm-up and measured iterations, allocations, and a markdown table.
/// </summary>
internal static class BenchConfig
{
    public static IConfig Create() => ManualConfig.CreateEmpty()
        .AddJob(Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithLaunchCount(1)
            .WithWarmupCount(3)
            .WithIterationCount(10))
        .AddColumnProvider(BenchmarkDotNet.Columns.DefaultColumnProviders.Instance)
        .AddDiagnoser(MemoryDiagnoser.Default)
        .AddLogger(ConsoleLogger.Default)
        .AddExporter(MarkdownExporter.GitHub)
        .WithArtifactsPath(Path.Combine(Path.GetTempPath(), "scimsync-bench"))
        .WithOptions(ConfigOptions.DisableLogFile);
}
