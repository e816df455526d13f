using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ScimSync.Emulators.Hosting;

/// <summary>One write request an emulator processed: method, path below the service's prefix, and body.</summary>
public sealed record JournalEntry(string Method, string Path, string Body);

/// <summary>
/// The write requests (POST, PUT, PATCH, DELETE) an emulator processed, in arrival order, so a test can check what a
/// client sent, e.g. that a PATCH carried exactly one attribute. Throttled, failed and dropped requests are not in it.
/// Holds at most <see cref="Capacity"/> entries (the oldest go first). Thread-safe.
/// </summary>
public sealed class RequestJournal
{
    public const int Capacity = 100_000;

    private readonly ConcurrentQueue<JournalEntry> _entries = new();

    public IReadOnlyList<JournalEntry> Entries => [.. _entries];

    /// <summary>Entries with this method whose path starts with <paramref name="pathPrefix"/> (e.g. <c>/Users/</c>).</summary>
    public IReadOnlyList<JournalEntry> Find(string method, string pathPrefix) =>
        [.. _entries.Where(e => string.Equals(e.Method, method, StringComparison.OrdinalIgnoreCase) &&
                                e.Path.StartsWith(pathPrefix, StringComparison.OrdinalIgnoreCase))];

    public void Clear() => _entries.Clear();

    internal void Add(JournalEntry entry)
    {
        _entries.Enqueue(entry);
        while (_entries.Count > Capacity && _entries.TryDequeue(out _))
        {
        }
    }
}

internal static class RequestJournalExtensions
{
    /// <summary>Records each write request that reaches the endpoints; put it after the fault injection.</summary>
    public static void UseRequestJournal(this IApplicationBuilder app, RequestJournal journal, Func<string, string> relativePath)
    {
        app.Use(async (context, next) =>
        {
            var method = context.Request.Method;
            if (HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method))
            {
                await next(context);
                return;
            }

            context.Request.EnableBuffering();
            using var reader = new StreamReader(context.Request.Body, Encoding.UTF8, leaveOpen: true);
            var body = await reader.ReadToEndAsync(context.RequestAborted);
            context.Request.Body.Position = 0;
            journal.Add(new JournalEntry(method.ToUpperInvariant(), relativePath(context.Request.Path.Value ?? "/"), body));
            await next(context);
        });
    }
}
