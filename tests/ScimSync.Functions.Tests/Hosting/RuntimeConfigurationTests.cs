using System.Text.Json.Nodes;

namespace ScimSync.Functions.Tests.Hosting;

/// <summary>The runtime configuration the Functions app's build writes next to it, which the worker process starts with.</summary>
public sealed class RuntimeConfigurationTests
{
    [Fact]
    public void The_app_runs_the_collector_set_to_conserve_memory_as_hard_as_it_can()
    {
        var path = Path.Combine(RepositoryFiles.FunctionsOutput, "ScimSync.Functions.runtimeconfig.json");
        var properties = JsonNode.Parse(File.ReadAllText(path))!["runtimeOptions"]!["configProperties"]!;

        Assert.Equal(9, (int?)properties["System.GC.ConserveMemory"]);
    }
}
