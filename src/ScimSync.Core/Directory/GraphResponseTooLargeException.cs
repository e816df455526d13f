namespace ScimSync.Core.Directory;

/// <summary>
/// Microsoft Graph (or whatever answers at the source's base URL) sent a response larger than the job reads, far more
/// than a delta page or a collection page holds. The read stops there, so nothing of a round is applied past it.
/// </summary>
public sealed class GraphResponseTooLargeException : IOException
{
    public GraphResponseTooLargeException(string resource, long limitBytes, long? announcedBytes)
        : base(announcedBytes is { } announced
            ? $"Microsoft Graph answered {resource} with {announced:N0} bytes, more than the {limitBytes / (1024 * 1024):N0} MB the job reads (source.maxResponseMegabytes); ScimSync did not read it."
            : $"Microsoft Graph's answer to {resource} grew past the {limitBytes / (1024 * 1024):N0} MB the job reads (source.maxResponseMegabytes); ScimSync stopped reading it.")
    {
        Resource = resource;
        LimitBytes = limitBytes;
    }

    /// <summary>The address that answered, without its query (delta and skip tokens stay out of logs).</summary>
    public string Resource { get; }

    public long LimitBytes { get; }
}
