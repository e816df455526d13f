using System.Text;
using System.Text.Json;

namespace ScimSync.Core.Queueing;

/// <summary>
/// Packs work items into queue message bodies and reads them back. A message carries one work item as its own JSON
/// (what every version writes and reads), or several in a batch (<c>{"schemaVersion":3,"items":[…]}</c>): every
/// send, receive and delete costs a queue request whatever the message holds, so a batch of 32 items costs a
/// 32nd of the queue's work per item. Reading never throws: a batch that cannot be read is one poison entry, an item
/// in it that cannot be read is a poison entry beside the others.
/// </summary>
public static class WorkMessageSerializer
{
    /// <summary>The schema version of a message that carries a batch of work items.</summary>
    public const int BatchSchemaVersion = 3;

    private static readonly byte[] BatchStart = Encoding.UTF8.GetBytes($$"""{"schemaVersion":{{BatchSchemaVersion}},"items":[""");
    private static readonly byte[] BatchEnd = Encoding.UTF8.GetBytes("]}");

    /// <summary>
    /// The message bodies (UTF-8 JSON) that carry <paramref name="items"/> in their order, each at most
    /// <paramref name="maxItemsPerMessage"/> items and <see cref="WorkItemSerializer.MaxMessageBytes"/> bytes.
    /// </summary>
    /// <exception cref="WorkItemTooLargeException">An item alone does not fit in a message; nothing is returned.</exception>
    public static IReadOnlyList<byte[]> Pack(IEnumerable<WorkItem> items, int maxItemsPerMessage)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxItemsPerMessage, 1);
        var bodies = new List<byte[]>();
        var pending = new List<byte[]>();
        var size = 0;
        foreach (var json in items.Select(WorkItemSerializer.Serialize).ToList())
        {
            var grown = BatchStart.Length + size + pending.Count + json.Length + BatchEnd.Length;
            if (pending.Count == maxItemsPerMessage || (pending.Count > 0 && grown > WorkItemSerializer.MaxMessageBytes))
            {
                bodies.Add(Body(pending));
                pending.Clear();
                size = 0;
            }

            pending.Add(json);
            size += json.Length;
        }

        if (pending.Count > 0)
        {
            bodies.Add(Body(pending));
        }

        return bodies;
    }

    /// <summary>Reads a message body into its work items, at least one entry, each an item or a poison outcome.</summary>
    public static IReadOnlyList<WorkMessageEntry> Read(byte[] utf8Json)
    {
        ArgumentNullException.ThrowIfNull(utf8Json);
        WorkBatchMessage? batch = null;
        try
        {
            batch = JsonSerializer.Deserialize(utf8Json, WorkItemJsonContext.Default.WorkBatchMessage);
        }
        catch (JsonException)
        {
            // Not a batch: read as a single item, which names what is wrong with it.
        }

        if (batch?.SchemaVersion != BatchSchemaVersion)
        {
            return [new WorkMessageEntry(WorkItemSerializer.Deserialize(utf8Json), Encoding.UTF8.GetString(utf8Json))];
        }

        if (batch.Items is not { Count: > 0 } items)
        {
            return [new WorkMessageEntry(
                new WorkItemReadResult.Poison(PoisonReason.Malformed, "The batch message carries no items."), Encoding.UTF8.GetString(utf8Json))];
        }

        return items.Select(element =>
        {
            var json = element.GetRawText();
            return new WorkMessageEntry(WorkItemSerializer.Deserialize(Encoding.UTF8.GetBytes(json)), json);
        }).ToList();
    }

    private static byte[] Body(List<byte[]> items)
    {
        if (items.Count == 1)
        {
            return items[0];
        }

        using var body = new MemoryStream();
        body.Write(BatchStart);
        for (var i = 0; i < items.Count; i++)
        {
            if (i > 0)
            {
                body.WriteByte((byte)',');
            }

            body.Write(items[i]);
        }

        body.Write(BatchEnd);
        return body.ToArray();
    }
}
