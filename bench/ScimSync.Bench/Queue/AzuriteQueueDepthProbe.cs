using System.Diagnostics;
using Azure.Storage.Queues;
using ScimSync.Emulators.Azurite;

namespace ScimSync.Bench.Queue;

/// <summary>
/// What one message's receive and delete cost on Azurite as its queues fill up: the reason a cycle sends its items in
/// waves. For each depth, a fresh queue is filled, 640 messages are received (32 at a time) and deleted one by one, and
/// the queue is cleared and deleted again.
/// </summary>
internal static class AzuriteQueueDepthProbe
{
    private static readonly int[] Depths = [250, 500, 1_000, 2_000, 4_000];
    private const int Measured = 640;

    public static async Task<int> RunAsync(TextWriter output, CancellationToken cancellationToken)
    {
        await using var azurite = await AzuriteProcess.StartAsync(NodeTooling.FindNodeModules(Directory.GetCurrentDirectory()), cancellationToken: cancellationToken);
        output.WriteLine($"Machine: {Environment.ProcessorCount} logical processors, {Environment.OSVersion}, .NET {Environment.Version}");
        output.WriteLine();
        output.WriteLine("| messages in Azurite | send (ms per message, 16 at once) | receive + delete (ms per message) |");
        output.WriteLine("|---|---|---|");
        foreach (var depth in Depths)
        {
            var queue = new QueueClient(azurite.ConnectionString, $"probe-{depth}");
            await queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            var clock = Stopwatch.StartNew();
            await Parallel.ForEachAsync(Enumerable.Range(0, depth), new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken },
                async (i, token) => await queue.SendMessageAsync($"message {i}", token));
            var send = clock.Elapsed.TotalMilliseconds / depth;

            clock.Restart();
            var settled = 0;
            while (settled < Math.Min(Measured, depth))
            {
                foreach (var message in (await queue.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(10), cancellationToken)).Value)
                {
                    await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken);
                    settled++;
                }
            }

            output.WriteLine($"| {depth:N0} | {send:0.00} | {clock.Elapsed.TotalMilliseconds / settled:0.00} |");
            await queue.ClearMessagesAsync(cancellationToken);
            await queue.DeleteAsync(cancellationToken);
        }

        return 0;
    }
}
