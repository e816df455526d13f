using ScimSync.Infra.Tests.Infrastructure;

namespace ScimSync.Infra.Tests;

public sealed class ScaleTests
{
    private static TemplateResource Site => CompiledTemplate.MainTemplate.Single("Microsoft.Web/sites");

    private static string Setting(string name)
    {
        var config = CompiledTemplate.MainTemplate.Single("Microsoft.Web/sites/config");
        return CompiledTemplate.VariablesIn(config.Body["properties"]!.GetValue<string>())
            .Select(config.Variable)
            .OfType<System.Text.Json.Nodes.JsonObject>()
            .Select(v => v[name])
            .OfType<System.Text.Json.Nodes.JsonNode>()
            .Single()
            .GetValue<string>();
    }

    [Fact]
    public void The_app_is_told_the_same_instance_limit_the_plan_enforces()
    {
        var planLimit = Site.Properties["functionAppConfig"]!["scaleAndConcurrency"]!["maximumInstanceCount"]!.GetValue<string>();

        Assert.Equal("[parameters('maximumInstanceCount')]", planLimit);
        Assert.Equal("[string(parameters('maximumInstanceCount'))]", Setting("ScimSync__Scale__MaxInstances"));
    }

    [Fact]
    public void The_queue_trigger_and_the_engine_judge_poison_after_the_same_number_of_deliveries()
    {
        Assert.Equal(Setting("AzureFunctionsJobHost__extensions__queues__maxDequeueCount"), Setting("ScimSync__Queue__MaxDequeueCount"));
    }

    [Fact]
    public void Per_instance_queue_concurrency_is_a_parameter()
    {
        Assert.Equal("[string(parameters('queueConcurrency'))]", Setting("AzureFunctionsJobHost__extensions__queues__batchSize"));
        Assert.Equal("0", Setting("AzureFunctionsJobHost__extensions__queues__newBatchThreshold"));
    }

    [Fact]
    public void The_plan_is_flex_consumption()
    {
        var plan = CompiledTemplate.MainTemplate.Single("Microsoft.Web/serverfarms");

        Assert.Equal("FlexConsumption", plan.Body["sku"]!["tier"]!.GetValue<string>());
    }
}
