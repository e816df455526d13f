using ScimSync.Core.Directory;
using ScimSync.Core.Identity;
using ScimSync.Core.Queueing;
using static ScimSync.Core.Tests.Queueing.WorkItems;

namespace ScimSync.Core.Tests.Queueing;

public sealed class ServiceBusWorkItemSenderTests
{
    [Fact]
    public void The_message_id_is_the_work_item_id_so_duplicate_detection_drops_repeats()
    {
        var item = WorkItem.Upsert(Job, "cycle-1", User("u1"), At);

        var message = ServiceBusWorkItemSender.CreateMessage(item);
        var repeated = ServiceBusWorkItemSender.CreateMessage(WorkItem.Upsert(Job, "cycle-1", User("u1"), At.AddMinutes(5)));

        Assert.Equal(item.Id, message.MessageId);
        Assert.Equal(message.MessageId, repeated.MessageId);
    }

    [Fact]
    public void The_message_body_reads_back_as_the_same_work_item()
    {
        var item = WorkItem.Delete(Job, "cycle-1", ObjectKind.Group, new SourceId("g1"), At);

        var message = ServiceBusWorkItemSender.CreateMessage(item);

        var read = Assert.IsType<WorkItemReadResult.Readable>(WorkItemSerializer.Deserialize(message.Body.ToMemory().Span));
        Assert.Equal(item.Id, read.Item.Id);
        Assert.Equal("application/json", message.ContentType);
        Assert.Equal("Delete", message.Subject);
        Assert.Equal("2", message.ApplicationProperties["schemaVersion"]);
        Assert.Equal(Job.Value, message.ApplicationProperties["jobId"]);
    }

    [Fact]
    public void An_oversized_item_is_refused_before_any_message_is_built()
    {
        var huge = User("u1", $$"""{"notes":"{{new string('x', 60_000)}}"}""");

        Assert.Throws<WorkItemTooLargeException>(() => ServiceBusWorkItemSender.CreateMessage(WorkItem.Upsert(Job, "c", huge, At)));
    }
}
