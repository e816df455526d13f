using System.Text.Json;
using ScimSync.Core.Directory;
using ScimSync.Core.Identity;

namespace ScimSync.Core.Queueing;

/// <summary>
/// Writes and reads the versioned JSON form of <see cref="WorkItem"/>. Writing refuses an item larger than
/// <see cref="MaxMessageBytes"/>; reading never throws for bad input but reports it as
/// <see cref="WorkItemReadResult.Poison"/>.
/// </summary>
public static class WorkItemSerializer
{
    /// <summary>
    /// The largest serialized work item, in bytes: 48 KiB. Base64 makes it 64 KiB, the Storage queue message limit,
    /// and it stays far below Service Bus's 256 KiB standard-tier limit.
    /// </summary>
    public const int MaxMessageBytes = 48 * 1024;

    /// <summary>Serializes <paramref name="item"/> to UTF-8 JSON, refusing one that would not fit a message.</summary>
    /// <exception cref="WorkItemTooLargeException">The item is larger than <see cref="MaxMessageBytes"/>.</exception>
    public static byte[] Serialize(WorkItem item)
    {
        var bytes = SerializeUnchecked(item);
        if (bytes.Length > MaxMessageBytes)
        {
            throw new WorkItemTooLargeException(DescribeTooLarge(item, bytes.Length), bytes.Length, MaxMessageBytes);
        }

        return bytes;
    }

    /// <summary>The serialized size of <paramref name="item"/> in bytes, without the size check.</summary>
    public static int MeasureBytes(WorkItem item) => SerializeUnchecked(item).Length;

    /// <summary>Reads a message body. Bad input becomes a poison outcome, never an exception.</summary>
    public static WorkItemReadResult Deserialize(ReadOnlySpan<byte> utf8Json)
    {
        WorkItemHeader? header;
        try
        {
            header = JsonSerializer.Deserialize(utf8Json, WorkItemJsonContext.Default.WorkItemHeader);
        }
        catch (JsonException exception)
        {
            return Poison(PoisonReason.Malformed, $"The message is not a JSON work item: {exception.Message}");
        }

        if (header?.SchemaVersion is not { } version)
        {
            return Poison(PoisonReason.Malformed, "The message has no schemaVersion; it is not a ScimSync work item.");
        }

        if (version is < 1 or > WorkItem.CurrentSchemaVersion)
        {
            return Poison(
                PoisonReason.UnknownSchemaVersion,
                $"The work item has schema version {version}; this version of ScimSync reads work items of versions 1 to {WorkItem.CurrentSchemaVersion} and batches of them (version {WorkMessageSerializer.BatchSchemaVersion}). " +
                "Run the same ScimSync version for the cycle and the worker.");
        }

        WorkItemMessage? message;
        try
        {
            message = JsonSerializer.Deserialize(utf8Json, WorkItemJsonContext.Default.WorkItemMessage);
        }
        catch (JsonException exception)
        {
            return Poison(PoisonReason.Malformed, $"The work item does not match schema version {version}: {exception.Message}");
        }

        if (message is null)
        {
            return Poison(PoisonReason.Malformed, "The message is JSON null.");
        }

        try
        {
            return FromMessage(message);
        }
        catch (ArgumentException exception)
        {
            // E.g. two snapshot attributes whose names differ only in case: valid JSON, but not a source object.
            return Poison(PoisonReason.Inconsistent, exception.Message);
        }
    }

    private static byte[] SerializeUnchecked(WorkItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return JsonSerializer.SerializeToUtf8Bytes(ToMessage(item), WorkItemJsonContext.Default.WorkItemMessage);
    }

    private static WorkItemMessage ToMessage(WorkItem item) => new()
    {
        SchemaVersion = WorkItem.CurrentSchemaVersion,
        Id = item.Id,
        JobId = item.Job.Value,
        CycleId = item.CycleId,
        Kind = item.Kind,
        SourceId = item.SourceId.Value,
        Operation = item.Operation,
        EnqueuedAt = item.EnqueuedAt,
        Generation = item.Generation,
        Attempt = item.Attempt,
        Resends = item.Resends,
        EarlierAttempts = item.EarlierAttempts.Count == 0
            ? null
            : item.EarlierAttempts.Select(note => new AttemptNoteMessage { At = note.At, Code = note.Code, Reason = note.Reason }).ToList(),
        AbsentMatches = item.AbsentMatches.Count == 0
            ? null
            : item.AbsentMatches.Select(absent => new AbsentMatchMessage { Attribute = absent.Attribute, Value = absent.Value }).ToList(),
        InsertedRow = item.InsertedRow is { } row
            ? new InsertedRowMessage { ETag = row.ETag, PendingSince = row.PendingSince, DueAt = row.DueAt, MembersPending = row.MembersPending, DisplayName = row.DisplayName }
            : null,
        Snapshot = item.Snapshot is { } snapshot
            ? new SnapshotMessage
            {
                Id = snapshot.Id.Value,
                Kind = snapshot.Kind,
                Attributes = new Dictionary<string, JsonElement>(snapshot.Attributes, StringComparer.OrdinalIgnoreCase),
            }
            : null,
        Membership = item.Membership is { } chunk
            ? new MembershipMessage
            {
                GroupId = chunk.Group.Value,
                ChunkNumber = chunk.ChunkNumber,
                ChunkCount = chunk.ChunkCount,
                Add = chunk.Add.Select(ToMessage).ToList(),
                Remove = chunk.Remove.Select(ToMessage).ToList(),
                DesiredMemberCount = chunk.DesiredMemberCount,
            }
            : null,
    };

    private static MemberMessage ToMessage(MemberReference member) => new() { Id = member.Id.Value, Kind = member.Kind };

    private static WorkItemReadResult FromMessage(WorkItemMessage message)
    {
        if (string.IsNullOrWhiteSpace(message.Id) || string.IsNullOrWhiteSpace(message.JobId)
            || string.IsNullOrWhiteSpace(message.CycleId) || string.IsNullOrWhiteSpace(message.SourceId))
        {
            return Poison(PoisonReason.Inconsistent, "The work item lacks one of id, jobId, cycleId or sourceId.");
        }

        SourceObject? snapshot = null;
        if (message.Snapshot is { } s)
        {
            if (string.IsNullOrWhiteSpace(s.Id) || s.Id != message.SourceId || s.Kind != message.Kind)
            {
                return Poison(PoisonReason.Inconsistent, $"The snapshot ({s.Kind} '{s.Id}') is not the work item's object ({message.Kind} '{message.SourceId}').");
            }

            snapshot = SourceObject.Create(new SourceId(s.Id), s.Kind, s.Attributes ?? []);
        }

        MembershipChunk? membership = null;
        if (message.Membership is { } m)
        {
            if (m.GroupId != message.SourceId || m.ChunkNumber < 0 || m.ChunkNumber >= m.ChunkCount)
            {
                return Poison(PoisonReason.Inconsistent, $"The membership slice (group '{m.GroupId}', chunk {m.ChunkNumber} of {m.ChunkCount}) does not fit the work item.");
            }

            if (m.DesiredMemberCount < 0)
            {
                return Poison(PoisonReason.Inconsistent, $"The membership slice of group '{m.GroupId}' gives a negative member count ({m.DesiredMemberCount}).");
            }

            if ((m.Add ?? []).Concat(m.Remove ?? []).Any(member => string.IsNullOrWhiteSpace(member.Id)))
            {
                return Poison(PoisonReason.Inconsistent, "A member in the membership slice has no id.");
            }

            membership = new MembershipChunk(
                new SourceId(m.GroupId), m.ChunkNumber, m.ChunkCount,
                (m.Add ?? []).Select(ToMember).ToList(), (m.Remove ?? []).Select(ToMember).ToList(), m.DesiredMemberCount);
        }

        var shapeError = message.Operation switch
        {
            WorkOperation.Upsert when snapshot is null => "An upsert needs the source snapshot.",
            WorkOperation.MembershipChunk when membership is null => "A membership item needs its membership slice.",
            not WorkOperation.MembershipChunk when membership is not null => "Only a membership item may carry a membership slice.",
            WorkOperation.Delete or WorkOperation.MembershipChunk when snapshot is not null => $"A {message.Operation} item carries no snapshot.",
            _ => null,
        };
        if (shapeError is not null)
        {
            return Poison(PoisonReason.Inconsistent, shapeError);
        }

        if (message.Generation < 0 || message.Attempt < 0 || message.Resends < 0)
        {
            return Poison(PoisonReason.Inconsistent, "The work item's generation, attempt and resend counts must not be negative.");
        }

        var item = message.SchemaVersion == 1
            ? WorkItem.CreateVersion1(
                new JobId(message.JobId), message.CycleId, message.Kind, new SourceId(message.SourceId), message.Operation,
                snapshot, membership, message.EnqueuedAt)
            : WorkItem.Create(
                new JobId(message.JobId), message.CycleId, message.Kind, new SourceId(message.SourceId), message.Operation,
                snapshot, membership, message.EnqueuedAt, message.Generation).WithDeliveryCounts(
                    message.Attempt, message.Resends,
                    message.EarlierAttempts is { Count: > 0 } notes
                        ? notes.TakeLast(WorkItem.MaxEarlierAttempts).Select(note => new AttemptNote(note.At, note.Code ?? "Unknown", note.Reason ?? string.Empty)).ToList()
                        : []);
        if (!string.Equals(item.Id, message.Id, StringComparison.Ordinal))
        {
            return Poison(PoisonReason.Inconsistent, $"The work item id '{message.Id}' does not match its content (expected '{item.Id}').");
        }

        // A value without its attribute proves nothing; the worker then looks it up, which is always safe.
        if (message.AbsentMatches is { Count: > 0 } absent)
        {
            item = item.WithAbsentMatches([.. absent
                .Where(match => !string.IsNullOrEmpty(match.Attribute) && match.Value is not null)
                .Select(match => new AbsentMatch(match.Attribute!, match.Value!))]);
        }

        // A row without its ETag, or on an item that is not an upsert, is not relied on: the worker reads the row.
        if (message.InsertedRow is { ETag: { Length: > 0 } etag } row && item.Operation == WorkOperation.Upsert)
        {
            item = item.WithInsertedRow(new InsertedRow(etag, row.PendingSince, row.DueAt, row.MembersPending, row.DisplayName));
        }

        return new WorkItemReadResult.Readable(item);
    }

    private static MemberReference ToMember(MemberMessage member) => new(new SourceId(member.Id!), member.Kind);

    private static WorkItemReadResult.Poison Poison(PoisonReason reason, string detail) => new(reason, detail);

    private static string DescribeTooLarge(WorkItem item, int size)
    {
        var advice = item.Snapshot is { Attributes.Count: > 0 } snapshot
            ? $" Its largest attribute is '{snapshot.Attributes.MaxBy(pair => pair.Value.GetRawText().Length).Key}'; " +
              "select fewer or smaller source attributes in the job's mappings."
            : item.Membership is not null
                ? " Split membership changes with MembershipChunkSplitter."
                : string.Empty;
        return $"The {item.Operation} work item for {item.Kind} '{item.SourceId}' in job '{item.Job}' is {size:N0} bytes; " +
               $"a queue message holds at most {MaxMessageBytes:N0} bytes.{advice}";
    }
}
