using System.Text.Json;
using ScimSync.Core.Queueing;

namespace ScimSync.Core.Tests.Hosting;

/// <summary>The Functions host's queue settings (host.json) and Core's queue options must describe the same queue.</summary>
public sealed class HostSettingsTests
{
    private static readonly JsonElement Queues = ReadHostJson().GetProperty("extensions").GetProperty("queues");

    [Fact]
    public void The_queue_trigger_decodes_messages_the_way_Core_encodes_them()
    {
        var encoding = Queues.GetProperty("messageEncoding").GetString();

        var expected = new WorkQueueOptions().MessageEncoding switch
        {
            WorkMessageEncoding.Base64 => "base64",
            WorkMessageEncoding.PlainText => "none",
            var other => throw new InvalidOperationException($"Unknown encoding {other}"),
        };
        Assert.Equal(expected, encoding, ignoreCase: true);
    }

    [Fact]
    public void The_queue_trigger_judges_poison_after_as_many_deliveries_as_Core()
    {
        Assert.Equal(new WorkQueueOptions().MaxDequeueCount, Queues.GetProperty("maxDequeueCount").GetInt32());
    }

    private static JsonElement ReadHostJson()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "functions.sln")))
        {
            directory = directory.Parent;
        }

        var path = Path.Combine(directory?.FullName ?? throw new InvalidOperationException("functions.sln not found above the test binaries."), "host.json");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.Clone();
    }
}
