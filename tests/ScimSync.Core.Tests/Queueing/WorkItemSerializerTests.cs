using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ScimSync.Core.Directory;
using ScimSync.Core.Identity;
using ScimSync.Core.Queueing;
using static ScimSync.Core.Tests.Queueing.WorkItems;

namespace ScimSync.Core.Tests.Queueing;

public sealed class WorkItemSerializerTests
{
    private static WorkItem RoundTrip(WorkItem item)
    {
        var result = WorkItemSerializer.Deserialize(WorkItemSerializer.Serialize(item));
        return Assert.IsType<WorkItemReadResult.Readable>(result).Item;
    }

    [Fact]
    public void An_upsert_round_trips_with_its_snapshot()
    {
        var item = WorkItem.Upsert(Job, "cycle-1", User("u1"), At);

        var read = RoundTrip(item);

        Assert.Equal(item.Id, read.Id);
        Assert.Equal(Job, read.Job);
        Assert.Equal("cycle-1", read.CycleId);
        Assert.Equal(WorkOperation.Upsert, read.Operation);
        Assert.Equal(ObjectKind.User, read.Kind);
        Assert.Equal(At, read.EnqueuedAt);
        Assert.Equal("adele@contoso.com", read.Snapshot!.GetString("userPrincipalName"));
        Assert.True(read.Snapshot.Get("accountEnabled")!.Value.GetBoolean());
    }

    [Fact]
    public void Snapshot_attribute_names_stay_case_insensitive_after_the_round_trip()
    {
        var read = RoundTrip(WorkItem.Upsert(Job, "cycle-1", User("u1"), At));

        Assert.Equal("Adele Vance", read.Snapshot!.GetString("DISPLAYNAME"));
    }

    [Fact]
    public void A_delete_round_trips_without_a_snapshot()
    {
        var read = RoundTrip(WorkItem.Delete(Job, "cycle-1", ObjectKind.Group, new SourceId("g1"), At));

        Assert.Equal(WorkOperation.Delete, read.Operation);
        Assert.Equal(ObjectKind.Group, read.Kind);
        Assert.Null(read.Snapshot);
    }

    [Fact]
    public void A_membership_chunk_round_trips_with_its_members()
    {
        var chunk = new MembershipChunk(
            new SourceId("g1"), 1, 3,
            [new MemberReference(new SourceId("u1"), ObjectKind.User), new MemberReference(new SourceId("g2"), ObjectKind.Group)],
            [new MemberReference(new SourceId("u9"), ObjectKind.User)]);

        var read = RoundTrip(WorkItem.ForMembershipChunk(Job, "cycle-1", chunk, At));

        Assert.Equal(new SourceId("g1"), read.Membership!.Group);
        Assert.Equal(1, read.Membership.ChunkNumber);
        Assert.Equal(3, read.Membership.ChunkCount);
        Assert.Equal(chunk.Add, read.Membership.Add);
        Assert.Equal(chunk.Remove, read.Membership.Remove);
        Assert.Null(read.Membership.DesiredMemberCount);
    }

    [Fact]
    public void A_membership_chunk_carries_the_size_its_cycle_counted_for_the_group()
    {
        var chunk = new MembershipChunk(new SourceId("g1"), 0, 1, [new MemberReference(new SourceId("u1"), ObjectKind.User)], [], DesiredMemberCount: 5_442);

        var read = RoundTrip(WorkItem.ForMembershipChunk(Job, "cycle-1", chunk, At));

        Assert.Equal(5_442, read.Membership!.DesiredMemberCount);
    }

    [Fact]
    public void A_membership_chunk_with_a_negative_member_count_is_poison()
    {
        var chunk = new MembershipChunk(new SourceId("g1"), 0, 1, [new MemberReference(new SourceId("u1"), ObjectKind.User)], [], DesiredMemberCount: 3);
        var json = Encoding.UTF8.GetString(WorkItemSerializer.Serialize(WorkItem.ForMembershipChunk(Job, "cycle-1", chunk, At)))
            .Replace("\"desiredMemberCount\":3", "\"desiredMemberCount\":-3", StringComparison.Ordinal);

        var poison = Assert.IsType<WorkItemReadResult.Poison>(WorkItemSerializer.Deserialize(Encoding.UTF8.GetBytes(json)));

        Assert.Equal(PoisonReason.Inconsistent, poison.Reason);
        Assert.Contains("negative member count", poison.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void The_message_carries_its_schema_version()
    {
        using var json = JsonDocument.Parse(WorkItemSerializer.Serialize(WorkItem.Upsert(Job, "cycle-1", User("u1"), At)));

        Assert.Equal(WorkItem.CurrentSchemaVersion, json.RootElement.GetProperty("schemaVersion").GetInt32());
        Assert.Equal("Upsert", json.RootElement.GetProperty("operation").GetString());
    }

    [Fact]
    public void The_same_work_gets_the_same_id_in_a_repeated_cycle_and_different_work_a_different_one()
    {
        var first = WorkItem.Upsert(Job, "cycle-1", User("u1"), At);

        Assert.Equal(first.Id, WorkItem.Upsert(Job, "cycle-2", User("u1"), At.AddMinutes(1)).Id);
        Assert.NotEqual(first.Id, WorkItem.Upsert(Job, "cycle-1", User("u1", """{"displayName":"changed"}"""), At).Id);
        Assert.NotEqual(first.Id, WorkItem.Upsert(new JobId("other"), "cycle-1", User("u1"), At).Id);
        Assert.NotEqual(first.Id, WorkItem.Deprovision(Job, "cycle-1", ObjectKind.User, new SourceId("u1"), null, At).Id);
        Assert.NotEqual(first.Id, WorkItem.Upsert(Job, "cycle-1", User("u1"), At, generation: 1).Id);
        Assert.Equal(first.Id, WorkItem.Upsert(Job, "cycle-1", User("u1"), At, generation: 1).ChangeId);
        Assert.Equal(WorkItemId.Length, first.Id.Length);
    }

    [Fact]
    public void A_resent_item_keeps_its_id_and_attempts_and_gets_a_message_id_of_its_own()
    {
        var item = WorkItem.Upsert(Job, "cycle-1", User("u1"), At);

        var resent = RoundTrip(item.Resend(countsAgainstObject: true).Resend(countsAgainstObject: false));

        Assert.Equal(item.Id, resent.Id);
        Assert.Equal(1, resent.Attempt);
        Assert.Equal(2, resent.Resends);
        Assert.NotEqual(item.MessageId, resent.MessageId);
        Assert.Equal(item.Id, item.MessageId);
    }

    [Fact]
    public void The_matching_values_a_listing_proved_absent_round_trip_and_a_resend_keeps_them_without_changing_the_id()
    {
        var item = WorkItem.Upsert(Job, "cycle-1", User("u1"), At);

        var marked = RoundTrip(item.WithAbsentMatches([new AbsentMatch("userName", "adele@contoso.com")]).Resend(countsAgainstObject: false));

        Assert.Equal(item.Id, marked.Id);
        Assert.Equal(new AbsentMatch("userName", "adele@contoso.com"), Assert.Single(marked.AbsentMatches));
        Assert.Empty(RoundTrip(item).AbsentMatches);
    }

    [Fact]
    public void An_absent_match_without_its_attribute_is_dropped_so_the_value_is_looked_up()
    {
        var item = WorkItem.Upsert(Job, "cycle-1", User("u1"), At);
        var body = JsonNode.Parse(WorkItemSerializer.Serialize(item))!.AsObject();
        body["absentMatches"] = new JsonArray(
            new JsonObject { ["value"] = "adele@contoso.com" },
            new JsonObject { ["attribute"] = "userName", ["value"] = "adele@contoso.com" });

        var read = Assert.IsType<WorkItemReadResult.Readable>(WorkItemSerializer.Deserialize(Encoding.UTF8.GetBytes(body.ToJsonString())));

        Assert.Equal(new AbsentMatch("userName", "adele@contoso.com"), Assert.Single(read.Item.AbsentMatches));
    }

    [Fact]
    public void The_row_the_cycle_inserted_round_trips_without_changing_the_id_and_a_resend_drops_it()
    {
        var item = WorkItem.Upsert(Job, "cycle-1", User("u1"), At);
        var row = new InsertedRow("W/\"datetime'2026-03-01T08%3A00%3A00.1234567Z'\"", At, At.AddMinutes(30), MembersPending: false, "adele@contoso.com");

        var carried = RoundTrip(item.WithInsertedRow(row));

        Assert.Equal(item.Id, carried.Id);
        Assert.Equal(row, carried.InsertedRow);
        Assert.Null(RoundTrip(item).InsertedRow);
        Assert.Null(item.WithInsertedRow(row).Resend(countsAgainstObject: false).InsertedRow);
    }

    [Fact]
    public void An_inserted_row_without_its_ETag_or_on_an_item_that_is_not_an_upsert_is_dropped_so_the_row_is_read()
    {
        var upsert = JsonNode.Parse(WorkItemSerializer.Serialize(WorkItem.Upsert(Job, "cycle-1", User("u1"), At)))!.AsObject();
        upsert["insertedRow"] = new JsonObject { ["pendingSince"] = "2026-03-01T08:00:00Z", ["dueAt"] = "2026-03-01T08:30:00Z" };
        var delete = JsonNode.Parse(WorkItemSerializer.Serialize(WorkItem.Delete(Job, "cycle-1", ObjectKind.User, new SourceId("u1"), At)))!.AsObject();
        delete["insertedRow"] = new JsonObject { ["eTag"] = "W/\"x\"", ["pendingSince"] = "2026-03-01T08:00:00Z", ["dueAt"] = "2026-03-01T08:30:00Z" };

        var withoutETag = Assert.IsType<WorkItemReadResult.Readable>(WorkItemSerializer.Deserialize(Encoding.UTF8.GetBytes(upsert.ToJsonString())));
        var notAnUpsert = Assert.IsType<WorkItemReadResult.Readable>(WorkItemSerializer.Deserialize(Encoding.UTF8.GetBytes(delete.ToJsonString())));

        Assert.Null(withoutETag.Item.InsertedRow);
        Assert.Null(notAnUpsert.Item.InsertedRow);
    }

    [Fact]
    public void A_version_1_message_is_still_read()
    {
        var body = $$"""
            {"schemaVersion":1,"id":"{{WorkItemId.ComputeVersion1(Job, "c1", new SourceId("g1"), WorkOperation.Delete, 0)}}",
             "jobId":"{{Job.Value}}","cycleId":"c1","kind":"Group","sourceId":"g1","operation":"Delete","enqueuedAt":"2026-01-01T00:00:00Z"}
            """;

        var read = Assert.IsType<WorkItemReadResult.Readable>(WorkItemSerializer.Deserialize(System.Text.Encoding.UTF8.GetBytes(body)));

        Assert.Equal(WorkOperation.Delete, read.Item.Operation);
        Assert.Equal(0, read.Item.Attempt);
    }

    [Fact]
    public void An_items_id_is_the_same_in_every_version_so_messages_queued_before_an_upgrade_still_verify()
    {
        var upsert = WorkItem.Upsert(Job, "cycle-1", User("u1"), At, generation: 2);
        var slice = WorkItem.ForMembershipChunk(Job, "cycle-1", new MembershipChunk(
            new SourceId("g1"), 1, 3,
            [new MemberReference(new SourceId("u-ä1"), ObjectKind.User), new MemberReference(new SourceId("g2"), ObjectKind.Group)],
            [new MemberReference(new SourceId("u3"), ObjectKind.User)]), At);

        Assert.Equal("437537c57eb93e75491ec41448890abb", upsert.Id);
        Assert.Equal("15b205ea6e9ce120e28f75ca1e19ed9f", slice.Id);
    }

    [Fact]
    public void Ids_do_not_collide_when_fields_shift_between_each_other()
    {
        Assert.NotEqual(
            WorkItemId.ComputeVersion1(new JobId("a"), "bc", new SourceId("d"), WorkOperation.Upsert, 0),
            WorkItemId.ComputeVersion1(new JobId("ab"), "c", new SourceId("d"), WorkOperation.Upsert, 0));
        Assert.NotEqual(
            WorkItemId.Compute(new JobId("a"), new SourceId("bc"), WorkOperation.Upsert, 0, null, null, 0),
            WorkItemId.Compute(new JobId("ab"), new SourceId("c"), WorkOperation.Upsert, 0, null, null, 0));
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("{\"schemaVersion\":1,\"id\":")]
    [InlineData("[1,2,3]")]
    [InlineData("{\"hello\":\"world\"}")]
    [InlineData("")]
    public void A_malformed_message_is_poison_not_an_exception(string body)
    {
        var result = WorkItemSerializer.Deserialize(Encoding.UTF8.GetBytes(body));

        Assert.Equal(PoisonReason.Malformed, Assert.IsType<WorkItemReadResult.Poison>(result).Reason);
    }

    [Fact]
    public void A_message_from_an_unknown_schema_version_is_poison_and_says_which_version()
    {
        var result = WorkItemSerializer.Deserialize("""{"schemaVersion":7,"somethingNew":true}"""u8);

        var poison = Assert.IsType<WorkItemReadResult.Poison>(result);
        Assert.Equal(PoisonReason.UnknownSchemaVersion, poison.Reason);
        Assert.Contains("schema version 7", poison.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_operation_is_poison()
    {
        var json = Encoding.UTF8.GetString(WorkItemSerializer.Serialize(WorkItem.Delete(Job, "c", ObjectKind.User, new SourceId("u1"), At)))
            .Replace("\"Delete\"", "\"Obliterate\"", StringComparison.Ordinal);

        var result = WorkItemSerializer.Deserialize(Encoding.UTF8.GetBytes(json));

        Assert.Equal(PoisonReason.Malformed, Assert.IsType<WorkItemReadResult.Poison>(result).Reason);
    }

    [Fact]
    public void A_work_item_whose_id_does_not_match_its_content_is_poison()
    {
        var json = Encoding.UTF8.GetString(WorkItemSerializer.Serialize(WorkItem.Delete(Job, "c", ObjectKind.User, new SourceId("u1"), At)))
            .Replace("\"sourceId\":\"u1\"", "\"sourceId\":\"u2\"", StringComparison.Ordinal);

        var result = WorkItemSerializer.Deserialize(Encoding.UTF8.GetBytes(json));

        Assert.Equal(PoisonReason.Inconsistent, Assert.IsType<WorkItemReadResult.Poison>(result).Reason);
    }

    [Fact]
    public void An_upsert_without_its_snapshot_is_poison()
    {
        var json = Encoding.UTF8.GetString(WorkItemSerializer.Serialize(WorkItem.Deprovision(Job, "c", ObjectKind.User, new SourceId("u1"), null, At)))
            .Replace("\"Deprovision\"", "\"Upsert\"", StringComparison.Ordinal);

        var result = WorkItemSerializer.Deserialize(Encoding.UTF8.GetBytes(json));

        Assert.Equal(PoisonReason.Inconsistent, Assert.IsType<WorkItemReadResult.Poison>(result).Reason);
    }

    [Fact]
    public void A_snapshot_with_attribute_names_differing_only_in_case_is_poison()
    {
        var json = Encoding.UTF8.GetString(WorkItemSerializer.Serialize(WorkItem.Upsert(Job, "c", User("u1", """{"mail":"a"}"""), At)))
            .Replace("\"mail\":\"a\"", "\"mail\":\"a\",\"MAIL\":\"b\"", StringComparison.Ordinal);

        var result = WorkItemSerializer.Deserialize(Encoding.UTF8.GetBytes(json));

        Assert.Equal(PoisonReason.Inconsistent, Assert.IsType<WorkItemReadResult.Poison>(result).Reason);
    }

    [Fact]
    public void A_snapshot_too_large_for_a_message_is_refused_naming_the_object_and_its_largest_attribute()
    {
        var huge = User("u-big", JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["displayName"] = "Big",
            ["extension_notes"] = new string('x', WorkItemSerializer.MaxMessageBytes),
        }));

        var error = Assert.Throws<WorkItemTooLargeException>(() => WorkItemSerializer.Serialize(WorkItem.Upsert(Job, "c", huge, At)));

        Assert.Contains("'u-big'", error.Message, StringComparison.Ordinal);
        Assert.Contains("extension_notes", error.Message, StringComparison.Ordinal);
        Assert.Equal(WorkItemSerializer.MaxMessageBytes, error.Limit);
        Assert.True(error.Size > error.Limit);
    }

    [Fact]
    public void A_snapshot_just_under_the_limit_is_accepted()
    {
        var small = WorkItem.Upsert(Job, "c", User("u1", """{"notes":""}"""), At);
        var room = WorkItemSerializer.MaxMessageBytes - WorkItemSerializer.MeasureBytes(small);
        var item = WorkItem.Upsert(Job, "c", User("u1", $$"""{"notes":"{{new string('x', room)}}"}"""), At);

        Assert.Equal(WorkItemSerializer.MaxMessageBytes, WorkItemSerializer.Serialize(item).Length);
    }

    [Fact]
    public void A_deprovision_refuses_a_snapshot_of_another_object()
    {
        Assert.Throws<ArgumentException>(() => WorkItem.Deprovision(Job, "c", ObjectKind.User, new SourceId("u2"), User("u1"), At));
    }
}
