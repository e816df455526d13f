using System.Text.Json;
using System.Text.Json.Serialization;

namespace ScimSync.Core.Queueing;

// The wire shape of a work item, kept apart from WorkItem so that the stored format changes only on purpose
// (with a new schemaVersion) and never because a domain type gained a property.

internal sealed class WorkItemHeader
{
    public int? SchemaVersion { get; set; }
}

internal sealed class WorkBatchMessage
{
    public int? SchemaVersion { get; set; }

    public List<JsonElement>? Items { get; set; }
}

internal sealed class WorkItemMessage
{
    public int SchemaVersion { get; set; }

    public string? Id { get; set; }

    public string? JobId { get; set; }

    public string? CycleId { get; set; }

    public Directory.ObjectKind Kind { get; set; }

    public string? SourceId { get; set; }

    public WorkOperation Operation { get; set; }

    public SnapshotMessage? Snapshot { get; set; }

    public MembershipMessage? Membership { get; set; }

    public DateTimeOffset EnqueuedAt { get; set; }

    // Since schema version 2.
    public int Generation { get; set; }

    public int Attempt { get; set; }

    public int Resends { get; set; }

    // Optional within schema version 2: a reader that does not know it ignores it.
    public List<AttemptNoteMessage>? EarlierAttempts { get; set; }

    // Optional within schema version 2: a reader that does not know it looks every value up, as before.
    public List<AbsentMatchMessage>? AbsentMatches { get; set; }

    // Optional within schema version 2: a reader that does not know it reads the object's row, as before.
    public InsertedRowMessage? InsertedRow { get; set; }
}

internal sealed class InsertedRowMessage
{
    public string? ETag { get; set; }

    public DateTimeOffset PendingSince { get; set; }

    public DateTimeOffset DueAt { get; set; }

    public bool MembersPending { get; set; }

    public string? DisplayName { get; set; }
}

internal sealed class AbsentMatchMessage
{
    public string? Attribute { get; set; }

    public string? Value { get; set; }
}

internal sealed class AttemptNoteMessage
{
    public DateTimeOffset At { get; set; }

    public string? Code { get; set; }

    public string? Reason { get; set; }
}

internal sealed class SnapshotMessage
{
    public string? Id { get; set; }

    public Directory.ObjectKind Kind { get; set; }

    public Dictionary<string, JsonElement>? Attributes { get; set; }
}

internal sealed class MembershipMessage
{
    public string? GroupId { get; set; }

    public int ChunkNumber { get; set; }

    public int ChunkCount { get; set; }

    public List<MemberMessage>? Add { get; set; }

    public List<MemberMessage>? Remove { get; set; }

    public int? DesiredMemberCount { get; set; }
}

internal sealed class MemberMessage
{
    public string? Id { get; set; }

    public Directory.ObjectKind Kind { get; set; }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(WorkItemHeader))]
[JsonSerializable(typeof(WorkItemMessage))]
[JsonSerializable(typeof(WorkBatchMessage))]
internal sealed partial class WorkItemJsonContext : JsonSerializerContext;
