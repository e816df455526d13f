using Azure.Messaging.ServiceBus;
using Microsoft.Azure.Functions.Worker;

namespace ScimSync.Functions.Tests.ServiceBus;

/// <summary>Message actions that record how each message was settled, as the Service Bus would see it.</summary>
internal sealed class RecordingMessageActions : ServiceBusMessageActions
{
    private readonly List<(string MessageId, string Action)> _settled = [];

    public IReadOnlyList<(string MessageId, string Action)> Settled => _settled;

    public override Task CompleteMessageAsync(ServiceBusReceivedMessage message, CancellationToken cancellationToken = default) =>
        Record(message, "Complete");

    public override Task AbandonMessageAsync(
        ServiceBusReceivedMessage message, IDictionary<string, object>? propertiesToModify = default, CancellationToken cancellationToken = default) =>
        Record(message, "Abandon");

    public override Task DeadLetterMessageAsync(
        ServiceBusReceivedMessage message,
        Dictionary<string, object>? propertiesToModify = default,
        string? deadLetterReason = default,
        string? deadLetterErrorDescription = default,
        CancellationToken cancellationToken = default) =>
        Record(message, "DeadLetter");

    private Task Record(ServiceBusReceivedMessage message, string action)
    {
        lock (_settled)
        {
            _settled.Add((message.MessageId, action));
        }

        return Task.CompletedTask;
    }
}
