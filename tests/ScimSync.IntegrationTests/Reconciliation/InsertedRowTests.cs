using ScimSync.Core.Directory;
using ScimSync.Core.Queueing;
using ScimSync.Core.Reconciliation;
using ScimSync.Core.State;
using ScimSync.Core.State.Objects;
using ScimSync.Emulators.Atlassian;
using ScimSync.IntegrationTests.Infrastructure;
using ScimSync.IntegrationTests.Scim;

namespace ScimSync.IntegrationTests.Reconciliation;

/// <summary>A create whose work item carries the state row the cycle inserted for its object.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class InsertedRowTests : IClassFixture<AtlassianEmulatorTarget>, IAsyncLifetime
{
    private readonly ReconciliationHost _host;
    private readonly AtlassianScimEmulator _emulator;

    public InsertedRowTests(AzuriteFixture azurite, AtlassianEmulatorTarget target)
    {
        _emulator = target.Emulator;
        _emulator.Reset();
        _host = new ReconciliationHost(azurite, _emulator);
    }

    public Task InitializeAsync() => _host.WarmUpAsync();

    public Task DisposeAsync() => _host.StopAsync();

    [Fact]
    public async Task A_create_that_carries_the_row_the_cycle_inserted_does_not_read_it_and_records_the_account_and_its_link()
    {
        var ada = ReconciliationHost.User("u-ada", "ada@example.com");
        var item = await EnqueueAsNewAsync(_host.Upsert(ada));
        Assert.NotNull(item.InsertedRow);
        _host.StateRequests.Clear();

        var outcome = await _host.Processor.ProcessAsync(item);
        var stateRequests = _host.StateRequests.ToArray();

        Assert.Equal(WorkItemResult.Succeeded, outcome.Result);
        var account = Assert.Single(_emulator.State.LiveUsers);
        var state = await _host.StateOfAsync(ada);
        Assert.Equal(account.Id, state.TargetId?.Value);
        Assert.Null(state.Pending);
        Assert.Null(state.Claim);
        Assert.Equal(ada.Id, (await _host.Objects.GetLinkAsync(ReconciliationHost.Job, ObjectKind.User, state.TargetId!.Value))!.Value);
        Assert.DoesNotContain(stateRequests, request => request.StartsWith("GET ", StringComparison.Ordinal) && request.Contains("Objects(", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_carried_row_that_changed_since_the_cycle_inserted_it_is_read_again_before_anything_is_sent()
    {
        var ada = ReconciliationHost.User("u-ada", "ada@example.com");
        var item = await EnqueueAsNewAsync(_host.Upsert(ada));
        var inserted = ObjectStateStore.InsertedRowOf(item)!;
        var claimedElsewhere = await _host.Objects.TryClaimCreateAsync(ReconciliationHost.Job, ObjectKind.User, ada.Id, inserted, "another-worker", TimeSpan.FromMinutes(3));
        Assert.IsType<CreateClaimResult.Won>(claimedElsewhere);

        var outcome = await _host.Processor.ProcessAsync(item);

        Assert.Equal(WorkItemResult.RetryLater, outcome.Result);
        Assert.Empty(_emulator.State.LiveUsers);
        Assert.DoesNotContain(_host.Requests, request => request.Method == "POST");
    }

    /// <summary>Records the item's change as the cycle does for an object with no row, and returns the item as the cycle sends it.</summary>
    private async Task<WorkItem> EnqueueAsNewAsync(WorkItem item)
    {
        var record = new PendingRecord(item.Kind, item.SourceId, new PendingChange(item.Operation, item.ChangeId, DateTimeOffset.UtcNow), false,
            DateTimeOffset.UtcNow.AddMinutes(30), item.Snapshot?.GetString("userPrincipalName"), NoRowYet: true);
        var inserted = await _host.Objects.RecordPendingAsync(ReconciliationHost.Job, [record]);
        return ObjectStateStore.WithInsertedRow(item, inserted[(item.Kind, item.SourceId)]);
    }
}
