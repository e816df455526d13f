using Microsoft.Extensions.Logging;

namespace ScimSync.Bench.Sync;

/// <summary>
/// Prints the engine's warnings and errors to standard error with the seconds since the run started, so that a
/// table is never read without what the engine said while producing it (a cycle that stopped waiting for room, say).
/// </summary>
internal sealed class EngineWarnings : ILoggerProvider
{
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(EngineWarnings owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                Console.Error.WriteLine($"[{owner._clock.Elapsed.TotalSeconds,7:0.0} s] {logLevel} {category}: {formatter(state, exception)}");
            }
        }
    }
}
