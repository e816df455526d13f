using Azure.Core;
using Azure.Core.Pipeline;

namespace ScimSync.Core.State;

/// <summary>
/// Creates a table or queue again when a request finds it gone, and sends the request once more. Tables and the queue
/// are created when a process first uses them; one deleted in the account later, or an emulator restarted without its
/// store, would otherwise fail every request until the process restarts. Once recreated, the next cycle finds the
/// state store empty, says so, and matches the objects already in the target instead of creating them again.
/// </summary>
/// <param name="missingErrorCode">The service's error code for the missing resource (<c>TableNotFound</c>, <c>QueueNotFound</c>).</param>
/// <param name="nameOf">The table's or queue's name in a request's path, or null when the request is not about one.</param>
/// <param name="create">Creates the resource by name, if it does not exist, through a client without this policy.</param>
internal sealed class RecreateWhenMissingPolicy(
    string missingErrorCode, Func<string, string?> nameOf, Func<string, CancellationToken, Task> create) : HttpPipelinePolicy
{
    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        await ProcessNextAsync(message, pipeline).ConfigureAwait(false);
        if (Missing(message) is { } name)
        {
            await create(name, message.CancellationToken).ConfigureAwait(false);
            await ProcessNextAsync(message, pipeline).ConfigureAwait(false);
        }
    }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        ProcessNext(message, pipeline);
        if (Missing(message) is { } name)
        {
            create(name, message.CancellationToken).GetAwaiter().GetResult();
            ProcessNext(message, pipeline);
        }
    }

    private string? Missing(HttpMessage message) =>
        message.HasResponse && message.Response.Status == 404
            && message.Response.Headers.TryGetValue("x-ms-error-code", out var code) && code == missingErrorCode
            ? nameOf(message.Request.Uri.Path)
            : null;

    /// <summary>The table a Table service request is about: the last path segment up to its key, e.g. <c>Objects(PartitionKey='a',RowKey='b')</c>.</summary>
    public static string? TableIn(string path)
    {
        var last = path.TrimEnd('/').Split('/')[^1];
        var name = last.Split('(')[0];
        return name.Length == 0 || name.StartsWith('$') || name.Equals("Tables", StringComparison.OrdinalIgnoreCase) ? null : name;
    }

    /// <summary>The queue a Queue service request is about: the segment before <c>messages</c>.</summary>
    public static string? QueueIn(string path)
    {
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var messages = Array.FindIndex(segments, segment => segment.Equals("messages", StringComparison.OrdinalIgnoreCase));
        return messages > 0 ? segments[messages - 1] : null;
    }
}
