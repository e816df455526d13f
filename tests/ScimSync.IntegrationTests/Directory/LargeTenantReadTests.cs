using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using ScimSync.Core.Directory;
using ScimSync.Core.Identity;
using ScimSync.Emulators.Graph;
using ScimSync.Emulators.Graph.Seeding;
using ScimSync.Emulators.Graph.Tenant;
using Xunit.Abstractions;

namespace ScimSync.IntegrationTests.GraphDirectory;

public sealed class LargeTenantReadTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int UserCount = 10_000;
    private const int GroupCount = 500;
    private const int BigGroupSize = 5_000;
    private const int SmallGroupSize = 10;

    private GraphEmulator _emulator = null!;
    private IReadOnlyList<string> _users = [];
    private string _bigGroup = "";

    public async Task InitializeAsync()
    {
        var seed = new DirectorySeedBuilder();
        _users = seed.AddUsers(UserCount);
        _bigGroup = seed.AddGroup("All staff", _users.Take(BigGroupSize));
        for (var g = 1; g < GroupCount; g++)
        {
            var groupId = seed.AddGroup($"Team {g}", _users.Skip(g * SmallGroupSize % UserCount).Take(SmallGroupSize));
            if (g <= 20)
            {
                seed.Assign(groupId, ObjectType.Group);
            }
        }
        foreach (var user in _users.Take(1_500))
        {
            seed.Assign(user, ObjectType.User);
        }
        _emulator = await GraphEmulator.StartAsync(new GraphEmulatorOptions { Seed = seed.Build() });
    }

    public async Task DisposeAsync() => await _emulator.DisposeAsync();

    [Fact]
    public async Task An_initial_read_of_10000_users_and_500_groups_streams_every_object_and_edge_then_increments_are_small()
    {
        var client = DirectoryMirror.Client(_emulator);
        var reader = new GraphDirectoryReader(client, NullLogger<GraphDirectoryReader>.Instance);
        var userIds = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var groupIds = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var edgesPerGroup = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var links = new Dictionary<ObjectKind, string>();

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        _emulator.Counters.Reset();
        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var workingSetBefore = Process.GetCurrentProcess().WorkingSet64;
        long peakHeap = heapBefore;
        var batches = 0;

        foreach (var kind in (ObjectKind[])[ObjectKind.User, ObjectKind.Group])
        {
            var attributes = kind == ObjectKind.User ? DirectoryMirror.UserAttributes : DirectoryMirror.GroupAttributes;
            await foreach (var batch in reader.ReadAsync(new DeltaReadRequest(kind, null, attributes)))
            {
                batches++;
                Assert.True(batch.IsFullRead);
                foreach (var change in batch.Changes)
                {
                    switch (change)
                    {
                        case ObjectUpserted { Source: var source }:
                            (source.Kind == ObjectKind.User ? userIds : groupIds).Add(source.Id.Value);
                            break;
                        case MembershipAdded added:
                            edgesPerGroup[added.GroupId.Value] = edgesPerGroup.GetValueOrDefault(added.GroupId.Value) + 1;
                            break;
                        default:
                            Assert.Fail($"an initial read of a tenant without deletions reported {change}");
                            break;
                    }
                }
                if (batch.End is DeltaRoundCompleted completed)
                {
                    links[kind] = completed.DeltaLink;
                }
                // Live memory while the consumer holds one batch: a full collection per page keeps garbage out of the figure.
                peakHeap = Math.Max(peakHeap, GC.GetTotalMemory(forceFullCollection: true));
            }
        }

        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        var requests = _emulator.Counters.Total;
        var workingSetAfter = Process.GetCurrentProcess().WorkingSet64;

        Assert.Equal(UserCount, userIds.Count);
        Assert.Equal(GroupCount, groupIds.Count);
        Assert.Equal(BigGroupSize, edgesPerGroup[_bigGroup]);
        Assert.Equal(BigGroupSize + (GroupCount - 1) * SmallGroupSize, edgesPerGroup.Values.Sum());
        Assert.Equal(2, links.Count);

        output.WriteLine($"Initial read, {UserCount} users, {GroupCount} groups ({BigGroupSize}-member group), {edgesPerGroup.Values.Sum()} memberships:");
        output.WriteLine($"  Graph requests: {requests} (users/delta {_emulator.DeltaRequests(ObjectType.User)}, groups/delta {_emulator.DeltaRequests(ObjectType.Group)}); batches: {batches}");
        output.WriteLine($"  peak live managed heap above baseline: {(peakHeap - heapBefore) / 1024.0 / 1024.0:F1} MiB (includes the test's id sets and the in-process emulator)");
        output.WriteLine($"  bytes allocated during the read: {allocated / 1024.0 / 1024.0:F1} MiB (reader, SDK and emulator together)");
        output.WriteLine($"  working set: {workingSetBefore / 1024 / 1024} MiB before, {workingSetAfter / 1024 / 1024} MiB after");

        // An incremental round after a few edits costs one request per kind, whatever the tenant's size.
        _emulator.Tenant.UpdateUser(_users[9_999], "displayName", "Changed");
        _emulator.Tenant.RemoveMember(_bigGroup, _users[0]);
        _emulator.Tenant.SoftDeleteUser(_users[1]);
        _emulator.Counters.Reset();
        var incremental = new List<DirectoryChange>();
        foreach (var kind in (ObjectKind[])[ObjectKind.User, ObjectKind.Group])
        {
            await foreach (var batch in reader.ReadAsync(new DeltaReadRequest(kind, links[kind], [])))
            {
                incremental.AddRange(batch.Changes);
            }
        }
        output.WriteLine($"  incremental round after 3 edits: {_emulator.Counters.Total} Graph requests, {incremental.Count} changes");
        Assert.Contains(new MembershipRemoved(new SourceId(_bigGroup), new SourceId(_users[0]), ObjectKind.User), incremental);
        Assert.Contains(new ObjectSoftDeleted(new SourceId(_users[1]), ObjectKind.User), incremental);
        Assert.Contains(incremental.OfType<ObjectUpserted>(), u => u.Source.Id.Value == _users[9_999]);

        _emulator.Counters.Reset();
        var assignments = await new GraphAssignmentReader(client, NullLogger<GraphAssignmentReader>.Instance).ReadAsync(_emulator.Tenant.ServicePrincipal.Id);
        output.WriteLine($"  assignments: {assignments.Assignments.Count} read in {_emulator.Counters.Total} Graph requests");
        // 1,500 users and 20 groups were assigned; the soft-deleted user's assignment is not listed while it is deleted.
        Assert.Equal(1_519, assignments.Assignments.Count);
    }
}
