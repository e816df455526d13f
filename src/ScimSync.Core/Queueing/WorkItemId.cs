using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ScimSync.Core.Directory;
using ScimSync.Core.Identity;

namespace ScimSync.Core.Queueing;

/// <summary>
/// The deterministic id of a work item: the same job, source object, operation, chunk, content and re-drive
/// generation always give the same id, so a cycle that is repeated after a crash enqueues duplicates that transports
/// and the progress table recognise (Service Bus duplicate detection uses it as MessageId). The cycle's own id is
/// deliberately not part of it: a repeated cycle has a new cycle id but the same work.
/// </summary>
public static class WorkItemId
{
    /// <summary>Length of the id: 32 lowercase hex digits (128 bits of SHA-256).</summary>
    public const int Length = 32;

    /// <summary>The id of the work described by these fields.</summary>
    /// <param name="job">The job.</param>
    /// <param name="sourceId">The source object.</param>
    /// <param name="operation">What is done with it.</param>
    /// <param name="chunkNumber">The membership slice's number, 0 otherwise.</param>
    /// <param name="snapshot">The source object as read, if the item carries it.</param>
    /// <param name="membership">The membership slice, if the item is one.</param>
    /// <param name="generation">How many times the cycle re-drove this same pending change (0 for a new change).</param>
    public static string Compute(
        JobId job, SourceId sourceId, WorkOperation operation, int chunkNumber, SourceObject? snapshot, MembershipChunk? membership, int generation) =>
        Hash([job.Value, sourceId.Value, operation.ToString(), Number(chunkNumber), Fingerprint(snapshot, membership), Number(generation)]);

    /// <summary>The id schema version 1 gave a work item (it included the cycle id); kept so version 1 messages still verify.</summary>
    internal static string ComputeVersion1(JobId job, string cycleId, SourceId sourceId, WorkOperation operation, int chunkNumber) =>
        Hash([job.Value, cycleId, sourceId.Value, operation.ToString(), Number(chunkNumber)]);

    /// <summary>A stable digest of what the item would change: the snapshot's attributes or the slice's members.</summary>
    /// <remarks>
    /// Hashed as it is written, field by field: a slice of a thousand members is never one large string. The bytes
    /// hashed are those of every earlier version, so an item queued before an upgrade keeps its id.
    /// </remarks>
    internal static string Fingerprint(SourceObject? snapshot, MembershipChunk? membership)
    {
        using var digest = new FieldDigest();
        if (snapshot is not null)
        {
            foreach (var (name, value) in snapshot.Attributes.OrderBy(pair => pair.Key, StringComparer.OrdinalIgnoreCase))
            {
                digest.Append(name.ToUpperInvariant());
                digest.Append(value.GetRawText());
            }
        }

        if (membership is not null)
        {
            digest.Append(Number(membership.ChunkCount));
            foreach (var member in membership.Add)
            {
                digest.Append("+", member.Kind.ToString(), ":", member.Id.Value);
            }

            foreach (var member in membership.Remove)
            {
                digest.Append("-", member.Kind.ToString(), ":", member.Id.Value);
            }
        }

        return Convert.ToHexStringLower(digest.Hash());
    }

    private static string Hash(IEnumerable<string> fields)
    {
        // Each field is length-prefixed so that no two different field lists can produce the same input bytes.
        var builder = new StringBuilder();
        foreach (var field in fields)
        {
            Append(builder, field);
        }

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(builder.ToString()));
        return Convert.ToHexStringLower(hash, 0, Length / 2);
    }

    private static void Append(StringBuilder builder, string field) => builder.Append(field.Length).Append(':').Append(field).Append('\n');

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
