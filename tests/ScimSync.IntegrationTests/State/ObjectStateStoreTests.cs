using System.Text.Json;
using ScimSync.Core.Directory;
using ScimSync.Core.Identity;
using ScimSync.Core.Queueing;
using ScimSync.Core.Scim;
using ScimSync.Core.State;
using ScimSync.Core.State.Objects;
using ScimSync.IntegrationTests.Infrastructure;

namespace ScimSync.IntegrationTests.State;

[Collection(AzuriteCollection.Name)]
public sealed class ObjectStateStoreTests(AzuriteFixture azurite)
{
    private static readonly JobId Job = new("job-1");

    private static ScimAttributes Attributes(string json) =>
        ScimAttributes.From(JsonDocument.Parse(json).RootElement.EnumerateObject().Select(p => KeyValuePair.Create(p.Name, p.Value.Clone())));

    private static ObjectStateStore Store(AzuriteFixture azurite, Microsoft.Extensions.Time.Testing.FakeTimeProvider? clock = null)
    {
        clock ??= TestTables.Clock();
        return new ObjectStateStore(TestTables.Create(azurite), TestTables.Escrow(clock), clock);
    }

    private static ObjectState Provisioned(string sourceId) => new(Job, ObjectKind.User, new SourceId(sourceId))
    {
        TargetId = new TargetId("t-" + sourceId),
        MatchedBy = "userName",
        AppliedHash = "abc123",
        LastApplied = Attributes("""{"userName":"adele@contoso.com","active":true,"name.givenName":"Adele"}"""),
        Status = ObjectStatus.Provisioned,
        CreatedOrAdopted = true,
    };

    [Fact]
    public async Task An_object_state_reads_back_with_its_last_applied_attributes()
    {
        var store = Store(azurite);
        var state = Provisioned("u1");

        await store.SaveAsync(state, null);
        var read = (await store.GetAsync(Job, ObjectKind.User, new SourceId("u1")))!.Value;

        Assert.Equal(state with { UpdatedAt = TestTables.Start }, read);
        Assert.Equal(state.LastApplied, read.LastApplied);
        Assert.True(read.MayDeprovision);
    }

    [Theory]
    [InlineData("a/b")]
    [InlineData(@"a\b")]
    [InlineData("a#b")]
    [InlineData("a?b")]
    [InlineData("all/of\\them#at?once|and%more\t")]
    public async Task Ids_with_characters_Table_Storage_forbids_are_stored_and_read_back(string id)
    {
        var store = Store(azurite);

        var written = await store.SaveAsync(Provisioned(id), null);
        var read = await store.GetAsync(Job, ObjectKind.User, new SourceId(id));
        var listed = await store.ListAsync(Job, ObjectKind.User).ToListAsync();

        Assert.False(written.IsConflict);
        Assert.Equal(id, read!.Value.SourceId.Value);
        Assert.Equal(id, Assert.Single(listed).Value.SourceId.Value);
    }

    [Fact]
    public async Task Users_and_groups_with_the_same_id_are_different_rows()
    {
        var store = Store(azurite);
        await store.SaveAsync(Provisioned("same"), null);

        Assert.Null(await store.GetAsync(Job, ObjectKind.Group, new SourceId("same")));
    }

    [Fact]
    public async Task A_write_based_on_a_stale_read_is_a_conflict_and_the_newer_state_survives()
    {
        var store = Store(azurite);
        await store.SaveAsync(Provisioned("u1"), null);
        var read = (await store.GetAsync(Job, ObjectKind.User, new SourceId("u1")))!;
        await store.SaveAsync(read.Value with { Status = ObjectStatus.Disabled }, read.ETag);

        var stale = await store.SaveAsync(read.Value with { AppliedHash = "stale" }, read.ETag);

        Assert.True(stale.IsConflict);
        var current = (await store.GetAsync(Job, ObjectKind.User, new SourceId("u1")))!.Value;
        Assert.Equal(ObjectStatus.Disabled, current.Status);
        Assert.Equal("abc123", current.AppliedHash);
    }

    [Fact]
    public async Task Two_workers_creating_the_same_new_row_conflict_so_only_one_is_saved()
    {
        var store = Store(azurite);

        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(i =>
            Task.Run(() => store.SaveAsync(Provisioned("u1") with { TargetId = new TargetId($"t-{i}") }, null))));

        Assert.Single(results, r => !r.IsConflict);
    }

    [Fact]
    public async Task Last_applied_attributes_larger_than_one_table_property_are_split_and_read_back()
    {
        var store = Store(azurite);
        var big = Attributes($$"""{"userName":"x","urn:ietf:params:scim:schemas:extension:custom:2.0:User:notes":"{{new string('n', 200_000)}}"}""");

        await store.SaveAsync(Provisioned("u1") with { LastApplied = big }, null);
        var read = (await store.GetAsync(Job, ObjectKind.User, new SourceId("u1")))!.Value;

        Assert.Equal(big, read.LastApplied);
    }

    [Fact]
    public async Task Last_applied_attributes_too_large_for_a_row_are_refused_with_a_clear_error()
    {
        var store = Store(azurite);
        var huge = Attributes($$"""{"notes":"{{new string('n', 500_000)}}"}""");

        var error = await Assert.ThrowsAsync<StateEntityTooLargeException>(() => store.SaveAsync(Provisioned("u1") with { LastApplied = huge }, null));

        Assert.Contains("'u1'", error.Message, StringComparison.Ordinal);
        Assert.Null(await store.GetAsync(Job, ObjectKind.User, new SourceId("u1")));
    }

    [Fact]
    public async Task A_failing_object_goes_into_escrow_with_growing_retry_intervals_and_keeps_its_target()
    {
        var clock = TestTables.Clock();
        var store = Store(azurite, clock);
        await store.SaveAsync(Provisioned("u1"), null);
        var error = new ObjectError("SchemaAttributeNotFound", "The target has no attribute 'costCenter'.", "Remove the mapping.", TestTables.Start);

        var first = await store.RecordFailureAsync(Job, ObjectKind.User, new SourceId("u1"), error);
        var second = await store.RecordFailureAsync(Job, ObjectKind.User, new SourceId("u1"), error);
        var third = await store.RecordFailureAsync(Job, ObjectKind.User, new SourceId("u1"), error);

        Assert.Equal([1, 2, 3], new[] { first, second, third }.Select(s => s.Value.EscrowCount));
        Assert.Equal(
            [TestTables.Start, TestTables.Start.AddMinutes(30), TestTables.Start.AddMinutes(60)],
            new[] { first, second, third }.Select(s => s.Value.NextRetryAt!.Value));
        var stored = (await store.GetAsync(Job, ObjectKind.User, new SourceId("u1")))!.Value;
        Assert.Equal(ObjectStatus.Escrowed, stored.Status);
        Assert.Equal(3, stored.EscrowCount);
        Assert.Equal(error, stored.LastError);
        Assert.Equal(new TargetId("t-u1"), stored.TargetId);
    }

    [Fact]
    public async Task A_failure_of_an_object_never_seen_before_creates_its_escrow_row()
    {
        var store = Store(azurite);

        var escrowed = await store.RecordFailureAsync(Job, ObjectKind.Group, new SourceId("g1"),
            new ObjectError("DuplicateTargetEntries", "Two groups match.", null, TestTables.Start));

        Assert.Equal(1, escrowed.Value.EscrowCount);
        Assert.False(escrowed.Value.CreatedOrAdopted);
        Assert.Null(escrowed.Value.TargetId);
    }

    [Fact]
    public async Task Only_escrowed_objects_whose_retry_is_due_are_listed_as_due()
    {
        var clock = TestTables.Clock();
        var store = Store(azurite, clock);
        var error = new ObjectError("Conflict", "409", null, TestTables.Start);
        await store.SaveAsync(Provisioned("healthy"), null);
        await store.RecordFailureAsync(Job, ObjectKind.User, new SourceId("once"), error);
        await store.RecordFailureAsync(Job, ObjectKind.User, new SourceId("twice"), error);
        await store.RecordFailureAsync(Job, ObjectKind.User, new SourceId("twice"), error);

        var dueNow = await store.ListDueEscrowsAsync(Job, ObjectKind.User).Select(s => s.Value.SourceId.Value).ToListAsync();
        clock.Advance(TimeSpan.FromMinutes(31));
        var dueLater = await store.ListDueEscrowsAsync(Job, ObjectKind.User).Select(s => s.Value.SourceId.Value).ToListAsync();
        var all = await store.ListEscrowsAsync(Job, ObjectKind.User).Select(s => s.Value.SourceId.Value).ToListAsync();

        Assert.Equal(["once"], dueNow);
        Assert.Equal(["once", "twice"], dueLater.Order(StringComparer.Ordinal));
        Assert.Equal(["once", "twice"], all.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Success_after_escrow_clears_the_count_error_and_retry_time()
    {
        var store = Store(azurite);
        await store.RecordFailureAsync(Job, ObjectKind.User, new SourceId("u1"), new ObjectError("Conflict", "409", null, TestTables.Start));
        var escrowed = (await store.GetAsync(Job, ObjectKind.User, new SourceId("u1")))!;

        var written = await store.RecordSuccessAsync(Provisioned("u1") with { EscrowCount = escrowed.Value.EscrowCount, LastError = escrowed.Value.LastError }, escrowed.ETag);

        Assert.False(written.IsConflict);
        var read = (await store.GetAsync(Job, ObjectKind.User, new SourceId("u1")))!.Value;
        Assert.Equal(0, read.EscrowCount);
        Assert.Null(read.LastError);
        Assert.Null(read.NextRetryAt);
        Assert.Equal(ObjectStatus.Provisioned, read.Status);
        Assert.Empty(await store.ListEscrowsAsync(Job, ObjectKind.User).ToListAsync());
    }

    [Fact]
    public async Task Success_settles_in_the_same_write_the_change_it_applied_but_not_a_newer_one()
    {
        var store = Store(azurite);
        var id = new SourceId("u1");
        await store.RecordPendingAsync(Job, [new PendingRecord(ObjectKind.User, id, new PendingChange(WorkOperation.Upsert, "change-1", TestTables.Start), false, TestTables.Start, "adele@contoso.com")]);
        var pending = (await store.GetAsync(Job, ObjectKind.User, id))!;

        await store.RecordSuccessAsync(Provisioned("u1") with { Pending = pending.Value.Pending, NextRetryAt = pending.Value.NextRetryAt }, pending.ETag, settles: "change-0");
        var newer = (await store.GetAsync(Job, ObjectKind.User, id))!;
        await store.RecordSuccessAsync(newer.Value, newer.ETag, settles: "change-1");
        var settled = (await store.GetAsync(Job, ObjectKind.User, id))!.Value;

        Assert.Equal("change-1", newer.Value.Pending?.ChangeId);
        Assert.NotNull(newer.Value.NextRetryAt);
        Assert.Null(settled.Pending);
        Assert.Null(settled.NextRetryAt);
    }

    [Fact]
    public async Task Of_many_workers_that_read_the_same_row_exactly_one_claims_the_create_and_the_others_must_read_again()
    {
        var store = Store(azurite);
        var id = new SourceId("user/with#odd?id");
        await store.RecordPendingAsync(Job, [new PendingRecord(ObjectKind.User, id, new PendingChange(WorkOperation.Upsert, "change-1", TestTables.Start), false, TestTables.Start, null)]);
        var read = await store.GetAsync(Job, ObjectKind.User, id);

        var results = await Task.WhenAll(Enumerable.Range(0, 10)
            .Select(i => Task.Run(() => store.TryClaimCreateAsync(Job, ObjectKind.User, id, read, $"worker-{i}", TimeSpan.FromMinutes(2)))));
        var again = await store.GetAsync(Job, ObjectKind.User, id);
        var late = await store.TryClaimCreateAsync(Job, ObjectKind.User, id, again, "worker-late", TimeSpan.FromMinutes(2));

        var winner = Assert.IsType<CreateClaimResult.Won>(Assert.Single(results, r => r is CreateClaimResult.Won));
        Assert.All(results.Where(r => r is not CreateClaimResult.Won), r => Assert.IsType<CreateClaimResult.Changed>(r));
        Assert.Equal(winner.Row.Value.Claim?.Holder, again!.Value.Claim?.Holder);
        Assert.Equal(winner.Row.Value.Claim?.Holder, Assert.IsType<CreateClaimResult.Lost>(late).Holder);
        Assert.Equal("change-1", again.Value.Pending?.ChangeId);
    }

    [Fact]
    public async Task Of_workers_racing_for_an_object_with_no_row_exactly_one_claims_it()
    {
        var store = Store(azurite);
        var id = new SourceId("new-user");

        var results = await Task.WhenAll(Enumerable.Range(0, 5)
            .Select(i => Task.Run(() => store.TryClaimCreateAsync(Job, ObjectKind.User, id, null, $"worker-{i}", TimeSpan.FromMinutes(2)))));

        Assert.Single(results, r => r is CreateClaimResult.Won);
        Assert.All(results.Where(r => r is not CreateClaimResult.Won), r => Assert.IsType<CreateClaimResult.Changed>(r));
    }

    [Fact]
    public async Task A_claim_left_by_a_crashed_worker_expires_and_is_taken_over()
    {
        var clock = TestTables.Clock();
        var store = Store(azurite, clock);
        var id = new SourceId("u1");
        await store.TryClaimCreateAsync(Job, ObjectKind.User, id, null, "crashed", TimeSpan.FromMinutes(2));

        var whileValid = await store.TryClaimCreateAsync(Job, ObjectKind.User, id, await store.GetAsync(Job, ObjectKind.User, id), "next", TimeSpan.FromMinutes(2));
        clock.Advance(TimeSpan.FromMinutes(3));
        var afterExpiry = await store.TryClaimCreateAsync(Job, ObjectKind.User, id, await store.GetAsync(Job, ObjectKind.User, id), "next", TimeSpan.FromMinutes(2));

        Assert.Equal("crashed", Assert.IsType<CreateClaimResult.Lost>(whileValid).Holder);
        Assert.Equal("next", Assert.IsType<CreateClaimResult.Won>(afterExpiry).Row.Value.Claim?.Holder);
    }

    [Fact]
    public async Task A_released_claim_frees_the_object_and_one_taken_over_meanwhile_is_left_to_its_new_holder()
    {
        var clock = TestTables.Clock();
        var store = Store(azurite, clock);
        var id = new SourceId("u1");
        var first = Assert.IsType<CreateClaimResult.Won>(await store.TryClaimCreateAsync(Job, ObjectKind.User, id, null, "a", TimeSpan.FromMinutes(2))).Row;

        await store.ReleaseCreateClaimAsync(first);
        var released = await store.GetAsync(Job, ObjectKind.User, id);
        var second = Assert.IsType<CreateClaimResult.Won>(await store.TryClaimCreateAsync(Job, ObjectKind.User, id, released, "b", TimeSpan.FromMinutes(2))).Row;
        clock.Advance(TimeSpan.FromMinutes(3));
        Assert.IsType<CreateClaimResult.Won>(await store.TryClaimCreateAsync(Job, ObjectKind.User, id, await store.GetAsync(Job, ObjectKind.User, id), "c", TimeSpan.FromMinutes(2)));
        await store.ReleaseCreateClaimAsync(second);

        Assert.Null(released!.Value.Claim);
        Assert.Equal("c", (await store.GetAsync(Job, ObjectKind.User, id))!.Value.Claim?.Holder);
    }
    [Theory]
    [InlineData("nothing", false)]
    [InlineData("the group's own change settled", false)]
    [InlineData("members marked again by a newer cycle", true)]
    public async Task A_groups_members_judged_settled_are_settled_unless_marked_again_since(string meanwhile, bool stillPending)
    {
        var store = Store(azurite);
        var group = new SourceId("g-settle-" + meanwhile.Length);
        var change = new PendingChange(WorkOperation.Upsert, "change-1", TestTables.Start);
        await store.RecordPendingAsync(Job, [new PendingRecord(ObjectKind.Group, group, change, MembersPending: true, TestTables.Start.AddMinutes(10), null)]);
        var judged = await store.GetAsync(Job, ObjectKind.Group, group);
        if (meanwhile == "the group's own change settled")
        {
            await store.SettleAsync(Job, ObjectKind.Group, group, change.ChangeId, membersSettled: false);
        }
        else if (meanwhile == "members marked again by a newer cycle")
        {
            await store.RecordPendingAsync(Job, [new PendingRecord(ObjectKind.Group, group, null, MembersPending: true, TestTables.Start.AddMinutes(40), null)]);
        }

        await store.SettleAsync(Job, ObjectKind.Group, group, changeId: null, membersSettled: true, judged);

        Assert.Equal(stillPending, (await store.GetAsync(Job, ObjectKind.Group, group))!.Value.MembersPending);
    }

    [Fact]
    public async Task Pending_records_of_objects_with_no_row_insert_it_and_return_it_as_a_read_would_and_others_merge()
    {
        var store = Store(azurite);
        await store.SaveAsync(Provisioned("known"), null);
        var now = TestTables.Start;
        PendingRecord Record(ObjectKind kind, string id, bool noRowYet) =>
            new(kind, new SourceId(id), new PendingChange(WorkOperation.Upsert, "change-" + id, now), kind == ObjectKind.Group, now.AddMinutes(30), id + "@contoso.com", noRowYet);

        var inserted = await store.RecordPendingAsync(Job, [Record(ObjectKind.User, "new", true), Record(ObjectKind.User, "known", false), Record(ObjectKind.Group, "team", true)]);

        Assert.Equal(2, inserted.Count);
        foreach (var ((kind, id), row) in inserted)
        {
            Assert.Equal(await store.GetAsync(Job, kind, id), row);
        }

        var known = (await store.GetAsync(Job, ObjectKind.User, new SourceId("known")))!.Value;
        Assert.Equal(new TargetId("t-known"), known.TargetId);
        Assert.Equal("change-known", known.Pending?.ChangeId);
    }

    [Fact]
    public async Task A_record_that_expected_no_row_but_finds_one_merges_into_it_with_its_whole_transaction()
    {
        var store = Store(azurite);
        await store.SaveAsync(Provisioned("appeared"), null);
        var now = TestTables.Start;
        PendingRecord Record(string id) => new(ObjectKind.User, new SourceId(id), new PendingChange(WorkOperation.Upsert, "change-" + id, now), false, now.AddMinutes(30), null, NoRowYet: true);

        var inserted = await store.RecordPendingAsync(Job, [Record("appeared"), Record("new")]);

        Assert.Empty(inserted);
        var appeared = (await store.GetAsync(Job, ObjectKind.User, new SourceId("appeared")))!.Value;
        Assert.Equal(new TargetId("t-appeared"), appeared.TargetId);
        Assert.Equal("change-appeared", appeared.Pending?.ChangeId);
        Assert.Equal("change-new", (await store.GetAsync(Job, ObjectKind.User, new SourceId("new")))!.Value.Pending?.ChangeId);
    }

    [Fact]
    public async Task Pending_records_of_users_and_groups_go_in_transactions_of_one_partition_each()
    {
        var batches = new List<string>();
        var options = new Azure.Data.Tables.TableClientOptions();
        options.AddPolicy(new BatchBodyRecorder(batches), Azure.Core.HttpPipelinePosition.PerCall);
        var clock = TestTables.Clock();
        var store = new ObjectStateStore(
            new StateTables(new Azure.Data.Tables.TableServiceClient(azurite.ConnectionString, options), "T" + Guid.NewGuid().ToString("N")[..12]),
            TestTables.Escrow(clock), clock);
        var records = Enumerable.Range(0, 150).Select(i => new PendingRecord(
            i % 2 == 0 ? ObjectKind.User : ObjectKind.Group, new SourceId($"o{i}"), null, i % 2 == 1, clock.GetUtcNow(), null, NoRowYet: i % 3 == 0));

        await store.RecordPendingAsync(Job, records);

        Assert.Equal(2, batches.Count);
        Assert.All(batches, body => Assert.Single(System.Text.RegularExpressions.Regex.Matches(body, "\"PartitionKey\":\"([^\"]*)\"").Select(m => m.Groups[1].Value).Distinct()));
        Assert.Equal(75, await store.ListAsync(Job, ObjectKind.Group).CountAsync());
    }

    private sealed class BatchBodyRecorder(List<string> bodies) : Azure.Core.Pipeline.HttpPipelineSynchronousPolicy
    {
        public override void OnSendingRequest(Azure.Core.HttpMessage message)
        {
            if (message.Request.Uri.Path.EndsWith("$batch", StringComparison.Ordinal) && message.Request.Content is { } content)
            {
                using var body = new MemoryStream();
                content.WriteTo(body, CancellationToken.None);
                lock (bodies)
                {
                    bodies.Add(System.Text.Encoding.UTF8.GetString(body.ToArray()));
                }
            }
        }
    }
}
