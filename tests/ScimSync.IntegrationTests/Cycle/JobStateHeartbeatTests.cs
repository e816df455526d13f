using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ScimSync.Core.Cycle;
using ScimSync.Emulators.Graph.Seeding;
using ScimSync.Emulators.Graph.Tenant;
using ScimSync.IntegrationTests.Infrastructure;

namespace ScimSync.IntegrationTests.Cycle;

/// <summary>The state line each cycle logs is what the deployment's alert rule queries.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class JobStateHeartbeatTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Each_cycle_logs_the_jobs_state_and_when_its_last_cycle_ended()
    {
        var seed = new DirectorySeedBuilder();
        var users = seed.AddUsers(5);
        foreach (var user in users)
        {
            seed.Assign(user, ObjectType.User);
        }

        var logs = new StateLineCollector();
        await using var harness = await CycleHarness.StartAsync(azurite, seed.Build(), new CycleHarnessOptions
        {
            Policy = new JsonObject { ["interval"] = "00:01:00", ["deletionThreshold"] = 2 },
            Configure = services => services.AddLogging(logging => logging
                .AddProvider(logs)
                .AddFilter<StateLineCollector>(typeof(JobStateHeartbeat).FullName, LogLevel.Information)),
        });

        var first = await harness.Runner.RunAsync(CycleHarness.Job);
        await harness.MarkProvisionedAsync(await harness.TakeAllAsync());
        foreach (var user in users.Take(3))
        {
            harness.Graph.Tenant.Unassign(user);
        }

        var second = await harness.Runner.RunAsync(CycleHarness.Job);

        Assert.Equal(2, logs.Lines.Count);
        var (healthy, held) = (logs.Lines.First(), logs.Lines.Last());
        Assert.Equal(JobStateHeartbeat.MessageTemplate, healthy["{OriginalFormat}"]);
        Assert.Equal(CycleHarness.Job.Value, healthy["Job"]);
        Assert.Equal("Active", healthy["Status"]);
        Assert.Equal(first.CycleId, healthy["CycleId"]);
        Assert.Equal("Completed", healthy["LastCycleOutcome"]);
        Assert.True(DateTimeOffset.TryParse(healthy["LastCycleAt"], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _));
        Assert.Equal("DeletionsHeld", held["Status"]);
        Assert.Equal(second.CycleId, held["CycleId"]);
        Assert.Equal("CompletedWithHeldDeletions", held["LastCycleOutcome"]);
    }

    private sealed class StateLineCollector : ILoggerProvider, ILogger
    {
        public ConcurrentQueue<Dictionary<string, string?>> Lines { get; } = new();

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (state is IReadOnlyList<KeyValuePair<string, object?>> values
                && values.Any(v => v.Key == "{OriginalFormat}" && Equals(v.Value, JobStateHeartbeat.MessageTemplate)))
            {
                Lines.Enqueue(values.ToDictionary(v => v.Key, v => Convert.ToString(v.Value, CultureInfo.InvariantCulture)));
            }
        }

        public void Dispose()
        {
        }
    }
}
