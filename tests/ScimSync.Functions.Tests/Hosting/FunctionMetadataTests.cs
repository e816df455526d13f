using System.Text.Json.Nodes;
using ScimSync.Admin;

namespace ScimSync.Functions.Tests.Hosting;

/// <summary>
/// The functions list the Worker SDK writes into the build output (functions.metadata) is what the Functions host
/// indexes: a function missing there never runs in Azure, whatever its code says.
/// </summary>
public sealed class FunctionMetadataTests
{
    private static readonly IReadOnlyDictionary<string, JsonObject> Bindings = ReadTriggers();

    [Fact]
    public void The_sync_and_cleanup_timers_run_on_the_schedules_their_settings_name()
    {
        AssertTrigger("SyncCycleFunction", "timerTrigger", "schedule", "%SyncSchedule%");
        AssertTrigger("RetentionCleanupFunction", "timerTrigger", "schedule", "%CleanupSchedule%");
    }

    [Fact]
    public void The_work_queue_and_its_poison_queue_are_read_from_the_queue_Core_sends_to()
    {
        AssertTrigger("ProvisionObjectFunction", "queueTrigger", "queueName", "%ScimSync:Queue:QueueName%");
        AssertTrigger("PoisonWorkItemFunction", "queueTrigger", "queueName", "%ScimSync:Queue:QueueName%-poison");
    }

    [Fact]
    [Trait("Category", "Reliability")]
    public void Every_shared_admin_route_is_an_HTTP_function_that_needs_a_function_key()
    {
        var http = Bindings.Values.Where(binding => (string?)binding["type"] == "httpTrigger").ToList();
        string[] shared =
        [
            AdminRoutes.Status, AdminRoutes.Page, AdminRoutes.Logs, AdminRoutes.Pause, AdminRoutes.Resume,
            AdminRoutes.Restart, AdminRoutes.AllowDeletes, AdminRoutes.DismissDeletes, AdminRoutes.Retry, AdminRoutes.Plan, AdminRoutes.Provision,
            AdminRoutes.Audit,
        ];
        // Under the Functions host's "api/" prefix, each URL is the one `scimsync run` serves.
        var underApi = AdminRoutes.RunPrefix["/api/".Length..] + "/";
        var expected = shared.Select(route => underApi + route).Order(StringComparer.Ordinal);

        Assert.Equal(expected, http.Select(binding => (string)binding["route"]!).Order(StringComparer.Ordinal));
        Assert.All(http, binding => Assert.Equal("Function", (string?)binding["authLevel"]));
        // The host refuses routes that start with its own management prefix.
        Assert.All(http, binding => Assert.False(((string)binding["route"]!).StartsWith("admin", StringComparison.OrdinalIgnoreCase)));
    }

    [Fact]
    public void The_Service_Bus_trigger_is_left_out_of_a_build_without_its_package()
    {
        Assert.DoesNotContain(Bindings.Values, binding => (string?)binding["type"] == "serviceBusTrigger");
    }

    private static void AssertTrigger(string function, string type, string property, string expected)
    {
        Assert.True(Bindings.TryGetValue(function, out var trigger), $"{function} is not in {MetadataPath}.");
        Assert.Equal(type, (string?)trigger["type"]);
        Assert.Equal(expected, (string?)trigger[property]);
    }

    internal static string MetadataPath => Path.Combine(RepositoryFiles.FunctionsOutput, "functions.metadata");

    /// <summary>Each function's trigger binding, by function name.</summary>
    internal static IReadOnlyDictionary<string, JsonObject> ReadTriggers()
    {
        var functions = JsonNode.Parse(File.ReadAllText(MetadataPath))!.AsArray();
        return functions.Select(function => function!.AsObject()).ToDictionary(
            function => (string)function["name"]!,
            function => function["bindings"]!.AsArray().Select(binding => binding!.AsObject())
                .Single(binding => ((string?)binding["type"])?.EndsWith("Trigger", StringComparison.Ordinal) == true));
    }
}
