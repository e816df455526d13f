using System.Text.Json.Nodes;
using ScimSync.Core.Queueing;

namespace ScimSync.Functions.Tests.Hosting;

/// <summary>host.json configures the queue trigger; Core writes the messages. They must agree.</summary>
public sealed class HostJsonTests
{
    private static readonly JsonNode Host = JsonNode.Parse(File.ReadAllText(RepositoryFiles.HostJson))!;

    private static JsonNode Queues => Host["extensions"]?["queues"] ?? throw new Xunit.Sdk.XunitException("host.json has no extensions.queues section.");

    [Fact]
    public void The_queue_trigger_decodes_messages_the_way_Core_encodes_them_by_default()
    {
        var expected = new WorkQueueOptions().MessageEncoding switch
        {
            WorkMessageEncoding.Base64 => "base64",
            WorkMessageEncoding.PlainText => "none",
            var other => throw new Xunit.Sdk.XunitException($"No host.json encoding for {other}."),
        };

        Assert.Equal(expected, (string?)Queues["messageEncoding"], StringComparer.OrdinalIgnoreCase);
    }

    [Fact]
    public void The_queue_trigger_gives_up_after_as_many_deliveries_as_Core_judges_poison()
    {
        Assert.Equal(new WorkQueueOptions().MaxDequeueCount, (int?)Queues["maxDequeueCount"]);
    }

    [Fact]
    public void Core_logs_at_information_level_and_the_host_exports_through_OpenTelemetry()
    {
        Assert.Equal("Information", (string?)Host["logging"]?["logLevel"]?["ScimSync"]);
        Assert.Equal("OpenTelemetry", (string?)Host["telemetryMode"]);
    }
}
