using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ScimSync.Core.Identity;
using ScimSync.Core.Logging;
using ScimSync.IntegrationTests.Infrastructure;
using ScimSync.IntegrationTests.State;

namespace ScimSync.IntegrationTests.Logging;

[Collection(AzuriteCollection.Name)]
public sealed class ProvisioningLogStoreTests(AzuriteFixture azurite)
{
    private static readonly JobId Job = new("job/1");

    private static ProvisioningLogStore Store(AzuriteFixture azurite, FakeTimeProvider clock) =>
        new(TestTables.Create(azurite), Options.Create(new ProvisioningLogOptions()), clock);

    private static ProvisioningLogEntry Entry(
        string id, DateTimeOffset at, ProvisioningAction action = ProvisioningAction.Update,
        ProvisioningStatus status = ProvisioningStatus.Success, string source = "u1", string? target = "t1", JobId? job = null) => new()
    {
        Id = id,
        Job = job ?? Job,
        CycleId = "c-1",
        ChangeId = "change-" + id,
        ActivityDateTime = at,
        Action = action,
        Status = status,
        SourceIdentity = new ProvisionedIdentity(source, "Adele Vance", "User"),
        TargetIdentity = target is null ? null : new ProvisionedIdentity(target, "adele@contoso.com", "User"),
        DurationInMilliseconds = 120,
    };

    [Fact]
    public async Task An_entry_reads_back_with_steps_modified_properties_and_error()
    {
        var clock = TestTables.Clock();
        var store = Store(azurite, clock);
        var entry = Entry("e1", TestTables.Start, ProvisioningAction.Create, ProvisioningStatus.Failure) with
        {
            Steps =
            [
                new ProvisioningStep(ProvisioningStepType.Import, ProvisioningStatus.Success, "EntryImport", "Read user from Entra ID"),
                new ProvisioningStep(ProvisioningStepType.Matching, ProvisioningStatus.Success, "EntryMatching", "No match on userName",
                    new Dictionary<string, string> { ["filter"] = "userName eq \"adele@contoso.com\"" }),
                new ProvisioningStep(ProvisioningStepType.Export, ProvisioningStatus.Failure, "EntryExport", "POST /Users failed"),
            ],
            ModifiedProperties = [new ModifiedProperty("userName", null, "adele@contoso.com"), ModifiedProperty.Create("employeeNumber", null, "42", redacted: true)],
            Error = new ProvisioningErrorInfo("SchemaAttributeNotFound", "The target rejected 'costCenter'.", "Remove the costCenter mapping.", "scimType: invalidValue"),
        };

        Assert.True(await store.WriteAsync(entry));
        var page = await store.QueryAsync(new ProvisioningLogQuery(Job));

        var read = Assert.Single(page.Entries);
        Assert.Equal(entry.Steps.Select(s => (s.Type, s.Status, s.Description)), read.Steps.Select(s => (s.Type, s.Status, s.Description)));
        Assert.Equal("userName eq \"adele@contoso.com\"", read.Steps[1].Details!["filter"]);
        Assert.Equal(entry.ModifiedProperties, read.ModifiedProperties);
        Assert.Equal(ModifiedProperty.RedactedValue, read.ModifiedProperties[1].NewValue);
        Assert.Equal(entry.Error, read.Error);
        Assert.Equal(entry.ActivityDateTime, read.ActivityDateTime);
        Assert.Equal(Job, read.Job);
        Assert.Null(page.ContinuationToken);
    }

    [Fact]
    public async Task Writing_the_same_entry_twice_stores_it_once()
    {
        var store = Store(azurite, TestTables.Clock());

        Assert.True(await store.WriteAsync(Entry("e1", TestTables.Start)));
        Assert.False(await store.WriteAsync(Entry("e1", TestTables.Start)));

        Assert.Single((await store.QueryAsync(new ProvisioningLogQuery(Job))).Entries);
    }

    [Fact]
    public async Task Entries_come_newest_first_across_days_and_pages_without_gaps_or_repeats()
    {
        var clock = TestTables.Clock();
        clock.Advance(TimeSpan.FromDays(3));
        var store = Store(azurite, clock);
        var times = Enumerable.Range(0, 25).Select(i => TestTables.Start.AddHours(i * 3)).ToList();
        foreach (var (at, i) in times.Select((at, i) => (at, i)))
        {
            await store.WriteAsync(Entry($"e{i:D2}", at));
        }

        var read = new List<ProvisioningLogEntry>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await store.QueryAsync(new ProvisioningLogQuery(Job), token, pageSize: 7);
            Assert.True(page.Entries.Count <= 7);
            read.AddRange(page.Entries);
            token = page.ContinuationToken;
            pages++;
        }
        while (token is not null);

        Assert.Equal(times.OrderDescending(), read.Select(e => e.ActivityDateTime));
        Assert.True(pages >= 4);
    }

    [Fact]
    public async Task Each_filter_selects_only_matching_entries()
    {
        var clock = TestTables.Clock();
        clock.Advance(TimeSpan.FromDays(1));
        var store = Store(azurite, clock);
        await store.WriteAsync(Entry("create-ok", TestTables.Start.AddHours(1), ProvisioningAction.Create, source: "u1", target: "t1"));
        await store.WriteAsync(Entry("update-fail", TestTables.Start.AddHours(2), ProvisioningAction.Update, ProvisioningStatus.Failure, source: "u2", target: "t2"));
        await store.WriteAsync(Entry("disable-skip", TestTables.Start.AddHours(3), ProvisioningAction.Disable, ProvisioningStatus.Skipped, source: "u/3#", target: null));
        await store.WriteAsync(Entry("staged", TestTables.Start.AddHours(4), ProvisioningAction.StagedDelete, ProvisioningStatus.Warning, source: "u1", target: "t1"));
        await store.WriteAsync(Entry("other-job", TestTables.Start.AddHours(1), job: new JobId("job-2")));

        async Task<string[]> Ids(ProvisioningLogQuery query) =>
            (await store.QueryAsync(query)).Entries.Select(e => e.Id).ToArray();

        Assert.Equal(["staged", "disable-skip", "update-fail", "create-ok"], await Ids(new ProvisioningLogQuery(Job)));
        Assert.Equal(["update-fail"], await Ids(new ProvisioningLogQuery(Job) { Status = ProvisioningStatus.Failure }));
        Assert.Equal(["disable-skip"], await Ids(new ProvisioningLogQuery(Job) { Action = ProvisioningAction.Disable }));
        Assert.Equal(["staged", "create-ok"], await Ids(new ProvisioningLogQuery(Job) { SourceId = "u1" }));
        Assert.Equal(["disable-skip"], await Ids(new ProvisioningLogQuery(Job) { SourceId = "u/3#" }));
        Assert.Equal(["update-fail"], await Ids(new ProvisioningLogQuery(Job) { TargetId = "t2" }));
        Assert.Equal(["disable-skip", "update-fail"], await Ids(new ProvisioningLogQuery(Job) { From = TestTables.Start.AddHours(2), To = TestTables.Start.AddHours(3) }));
        Assert.Equal(["other-job"], await Ids(new ProvisioningLogQuery(new JobId("job-2"))));
    }

    [Fact]
    public async Task Purging_removes_whole_days_past_retention_and_keeps_the_rest()
    {
        var clock = TestTables.Clock();
        var store = Store(azurite, clock);
        for (var day = 0; day < 40; day++)
        {
            await store.WriteAsync(Entry($"d{day:D2}", TestTables.Start.AddDays(day).AddHours(12)));
        }

        await store.WriteAsync(Entry("other-job-old", TestTables.Start.AddHours(12), job: new JobId("job-2")));
        clock.Advance(TimeSpan.FromDays(40));

        var purged = await store.PurgeAsync(Job);
        var kept = (await store.QueryAsync(new ProvisioningLogQuery(Job) { From = TestTables.Start }, pageSize: 100)).Entries;

        Assert.Equal(10, purged);
        Assert.Equal(30, kept.Count);
        Assert.Equal(TestTables.Start.AddDays(10).AddHours(12), kept.Min(e => e.ActivityDateTime));
        Assert.Single((await store.QueryAsync(new ProvisioningLogQuery(new JobId("job-2")) { From = TestTables.Start })).Entries);
    }

    [Fact]
    public async Task A_continuation_token_that_was_not_issued_is_refused_clearly()
    {
        var store = Store(azurite, TestTables.Clock());

        var error = await Assert.ThrowsAsync<ArgumentException>(() => store.QueryAsync(new ProvisioningLogQuery(Job), "not-a-token"));

        Assert.Contains("continuation token", error.Message, StringComparison.Ordinal);
    }
}
