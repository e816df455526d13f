using Azure.Data.Tables;
using ScimSync.Core.Cycle;
using ScimSync.Core.Directory;
using ScimSync.Core.Identity;
using ScimSync.Core.Scoping;
using ScimSync.Core.State;
using ScimSync.IntegrationTests.Infrastructure;
using ScimSync.IntegrationTests.State;

namespace ScimSync.IntegrationTests.Cycle;

[Collection(AzuriteCollection.Name)]
public sealed class TableAssignmentSnapshotStoreTests(AzuriteFixture azurite)
{
    private static readonly JobId Job = new("job-1");
    private static readonly Guid Role = Guid.Parse("18d14569-c3bd-439b-9a66-3a2aee01d14f");

    [Fact]
    public async Task A_saved_snapshot_reads_back_exactly_from_a_few_packed_rows_and_an_empty_one_is_not_none()
    {
        var tables = TestTables.Create(azurite);
        var store = new TableAssignmentSnapshotStore(tables);
        var snapshot = Snapshot(users: 2_000);

        Assert.Null(await store.GetAsync(Job));
        await store.SaveAsync(Job, snapshot);

        Assert.Equal(Entries(snapshot), Entries((await store.GetAsync(Job))!));
        // The marker, and 2,001 assignments of 74 characters in five rows of at most 30,000.
        Assert.Equal(6, (await RowsAsync(tables)).Count);

        await store.SaveAsync(Job, AssignmentSnapshot.Empty);
        Assert.Empty((await store.GetAsync(Job))!.Assignments);
        Assert.Single(await RowsAsync(tables));
    }

    [Fact]
    public async Task An_unchanged_snapshot_writes_nothing_and_a_changed_one_leaves_only_its_own_rows()
    {
        var tables = TestTables.Create(azurite);
        var store = new TableAssignmentSnapshotStore(tables);
        await store.SaveAsync(Job, Snapshot(users: 3));
        var before = (await RowsAsync(tables)).ToDictionary(row => row.RowKey, row => row.ETag);

        await store.SaveAsync(Job, new AssignmentSnapshot([.. Snapshot(users: 3).Assignments.Reverse()]));
        Assert.Equal(before, (await RowsAsync(tables)).ToDictionary(row => row.RowKey, row => row.ETag));

        var changed = Snapshot(users: 2);
        await store.SaveAsync(Job, changed);
        Assert.Equal(Entries(changed), Entries((await store.GetAsync(Job))!));
        Assert.Equal(2, (await RowsAsync(tables)).Count);
    }

    [Fact]
    public async Task Rows_of_one_assignment_each_are_the_snapshot_until_the_next_save_packs_them()
    {
        var tables = TestTables.Create(azurite);
        var store = new TableAssignmentSnapshotStore(tables);
        var table = await tables.GetAsync(StateTable.Assignments);
        var snapshot = Snapshot(users: 3);
        await table.AddEntityAsync(new TableEntity(TableKey.Compose(Job.Value), "!snapshot"));
        foreach (var assignment in snapshot.Assignments)
        {
            await table.AddEntityAsync(new TableEntity(TableKey.Compose(Job.Value), TableKey.Compose(assignment.PrincipalId.Value, assignment.AppRoleId.ToString("D")))
            {
                ["PrincipalId"] = assignment.PrincipalId.Value,
                ["PrincipalKind"] = assignment.PrincipalKind.ToString(),
                ["AppRoleId"] = assignment.AppRoleId,
            });
        }

        Assert.Equal(Entries(snapshot), Entries((await store.GetAsync(Job))!));

        await store.SaveAsync(Job, snapshot);
        Assert.Equal(Entries(snapshot), Entries((await store.GetAsync(Job))!));
        Assert.Equal(2, (await RowsAsync(tables)).Count);
    }

    [Fact]
    public async Task Rows_of_a_generation_the_marker_does_not_name_are_not_the_snapshot_and_the_next_save_removes_them()
    {
        var tables = TestTables.Create(azurite);
        var store = new TableAssignmentSnapshotStore(tables);
        var snapshot = Snapshot(users: 2);
        await store.SaveAsync(Job, snapshot);

        // What a save cut short before it moved the marker leaves behind.
        var table = await tables.GetAsync(StateTable.Assignments);
        await table.AddEntityAsync(new TableEntity(TableKey.Compose(Job.Value), "!generation-unfinished-00000") { ["Entries"] = $"u{Role:D}someone-else\n" });

        Assert.Equal(Entries(snapshot), Entries((await store.GetAsync(Job))!));
        await store.SaveAsync(Job, snapshot);
        Assert.DoesNotContain(await RowsAsync(tables), row => row.RowKey.Contains("unfinished", StringComparison.Ordinal));
        Assert.Equal(Entries(snapshot), Entries((await store.GetAsync(Job))!));
    }

    private static AssignmentSnapshot Snapshot(int users) => new(
    [
        .. Enumerable.Range(0, users).Select(i => new AppRoleAssignment(new SourceId($"{i:D8}-aaaa-bbbb-cccc-dddddddddddd"), ObjectKind.User, Role)),
        new AppRoleAssignment(new SourceId("group/1"), ObjectKind.Group, Guid.Empty),
    ]);

    private static List<string> Entries(AssignmentSnapshot snapshot) =>
        [.. snapshot.Assignments.Select(a => $"{a.PrincipalKind} {a.PrincipalId} {a.AppRoleId}").Order(StringComparer.Ordinal)];

    private static async Task<List<TableEntity>> RowsAsync(StateTables tables) =>
        await (await tables.GetAsync(StateTable.Assignments)).QueryAsync<TableEntity>().ToListAsync();
}
