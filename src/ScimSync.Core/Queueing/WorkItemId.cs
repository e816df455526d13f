using System.Security.Cryptography;
using System.Text;
using ScimSync.Core.Identity;

namespace ScimSync.Core.Queueing;

/// <summary>
/// The deterministic id of a work item: the same job, cycle, source object, operation and chunk always give the
/// same id, so a cycle that is repeated after a crash enqueues duplicates that transports and the progress table
/// recognise (Service Bus duplicate detection uses it as MessageId).
/// </summary>
public static class WorkItemId
{
    /// <summary>Length of the id: 32 lowercase hex digits (128 bits of SHA-256).</summary>
    public const int Length = 32;

    public static string Compute(JobId job, string cycleId, SourceId sourceId, WorkOperation operation, int chunkNumber)
    {
        // Each field is length-prefixed so that no two different field lists can produce the same input bytes.
        var builder = new StringBuilder();
        foreach (var field in new[] { job.Value, cycleId, sourceId.Value, operation.ToString(), chunkNumber.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            builder.Append(field.Length).Append(':').Append(field).Append('\n');
        }

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(builder.ToString()));
        return Convert.ToHexStringLower(hash, 0, Length / 2);
    }
}
