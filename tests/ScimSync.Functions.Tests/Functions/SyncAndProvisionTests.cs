using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using ScimSync.Core.Diagnostics;
using ScimSync.Core.State.Jobs;
using ScimSync.Emulators.Faults;
using ScimSync.Functions.Tests.Hosting;
using ScimSync.IntegrationTests.Infrastructure;

namespace ScimSync.Functions.Tests.Functions;

/// <summary>The sync timer and the work-queue trigger, on Azurite and the emulators, checked in Atlassian.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class SyncAndProvisionTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task A_timer_tick_enqueues_the_due_cycle_and_the_queue_trigger_provisions_every_user_in_Atlassian()
    {
        var (seed, users) = AppScenario.AssignedUsers(5);
        await using var app = await FunctionsAppHarness.StartAsync(azurite, seed);

        await app.TickAsync();

        // One message carries the five work items.
        Assert.Single(await app.Host.WorkQueue.PeekAllAsync());
        Assert.Empty(app.Atlassian.State.LiveUsers);

        await app.DeliverWorkAsync();

        Assert.All(users, user => Assert.True(app.AtlassianUserOf(user)?.Active, $"{user} is not active in Atlassian"));
        Assert.Empty(await app.Host.WorkQueue.PeekAllAsync());
    }

    [Fact]
    public async Task A_second_tick_within_the_interval_runs_no_cycle()
    {
        var (seed, _) = AppScenario.AssignedUsers(2);
        await using var app = await FunctionsAppHarness.StartAsync(azurite, seed);
        await app.TickAsync();
        await app.DeliverWorkAsync();
        var deltaReads = app.Graph.Counters.Total;

        await app.TickAsync();

        Assert.Equal(deltaReads, app.Graph.Counters.Total);
        Assert.Empty(await app.Host.WorkQueue.PeekAllAsync());
    }

    [Trait("Category", "Reliability")]
    [Fact]
    public async Task A_throttled_create_is_sent_again_as_a_delayed_message_and_then_provisioned()
    {
        var (seed, users) = AppScenario.AssignedUsers(1);
        await using var app = await FunctionsAppHarness.StartAsync(azurite, seed);
        await app.TickAsync();
        // The target asks for longer than the SCIM client waits in process, so the work item itself must wait.
        app.Atlassian.Faults.ThrottleNext(1, TimeSpan.FromSeconds(3), FaultScope.Parse("POST /Users"));

        await app.DeliverWorkAsync(patience: TimeSpan.Zero);

        Assert.Null(app.AtlassianUserOf(users[0]));
        Assert.Empty(await app.Host.WorkQueue.PeekAllAsync()); // the re-sent message is not visible yet
        Assert.Equal(1, (await app.Host.WorkQueue.GetPropertiesAsync()).Value.ApproximateMessagesCount);

        await app.DeliverWorkAsync(patience: TimeSpan.FromSeconds(30));

        Assert.True(app.AtlassianUserOf(users[0])?.Active);
    }

    [Fact]
    public async Task A_refused_token_quarantines_the_job_from_the_queue_trigger()
    {
        var (seed, _) = AppScenario.AssignedUsers(2);
        await using var app = await FunctionsAppHarness.StartAsync(azurite, seed);
        await app.TickAsync();
        app.Configuration[FunctionsAppHarness.TokenSetting] = "not-the-directory-key";

        await app.DeliverWorkAsync(patience: TimeSpan.Zero);

        var state = (await app.Services.GetRequiredService<JobStateStore>().GetAsync(FunctionsAppHarness.Job))!.Value;
        Assert.Equal(JobStatus.Quarantined, state.Status);
        Assert.Contains(FunctionsAppHarness.TokenSetting, state.Reason, StringComparison.Ordinal);
        Assert.Empty(app.Atlassian.State.LiveUsers);
        Assert.Empty(await app.Host.WorkQueue.PeekAllAsync());
    }

    [Fact]
    public async Task The_app_measures_cycle_duration_work_items_by_outcome_and_SCIM_requests_by_method_and_status()
    {
        var (seed, _) = AppScenario.AssignedUsers(3);
        await using var app = await FunctionsAppHarness.StartAsync(azurite, seed);
        using var measurements = new RecordedMeasurements(app.Services.GetRequiredService<IMeterFactory>());

        await app.TickAsync();
        await app.DeliverWorkAsync();

        var cycle = Assert.Single(measurements.Of(ScimSyncMetrics.CycleDuration));
        Assert.Equal("Completed", cycle.Tags["scimsync.cycle.status"]);
        Assert.True(cycle.Value > 0);
        var items = measurements.Of(ScimSyncMetrics.WorkItems);
        Assert.Equal(3, items.Where(m => (string?)m.Tags["scimsync.outcome"] == "Succeeded" && (string?)m.Tags["scimsync.object.kind"] == "User").Sum(m => m.Value));
        var requests = measurements.Of(ScimSyncMetrics.ScimRequestDuration);
        Assert.Equal(3, requests.Count(m => (string?)m.Tags["http.request.method"] == "POST" && m.Tags["http.response.status_code"] is 201));
        Assert.All(requests, m => Assert.Equal(FunctionsAppHarness.Job.Value, m.Tags["scimsync.job"]));
    }
}

/// <summary>Every measurement of the ScimSync meter created by one service provider's meter factory.</summary>
internal sealed class RecordedMeasurements : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly List<(string Instrument, double Value, Dictionary<string, object?> Tags)> _recorded = [];

    public RecordedMeasurements(IMeterFactory factory)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == ScimSyncTelemetry.Name && ReferenceEquals(instrument.Meter.Scope, factory))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.Start();
    }

    public IReadOnlyList<(double Value, Dictionary<string, object?> Tags)> Of(string instrument)
    {
        lock (_recorded)
        {
            return [.. _recorded.Where(m => m.Instrument == instrument).Select(m => (m.Value, m.Tags))];
        }
    }

    public void Dispose() => _listener.Dispose();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var copy = new Dictionary<string, object?>();
        foreach (var tag in tags)
        {
            copy[tag.Key] = tag.Value;
        }

        lock (_recorded)
        {
            _recorded.Add((instrument.Name, value, copy));
        }
    }
}
