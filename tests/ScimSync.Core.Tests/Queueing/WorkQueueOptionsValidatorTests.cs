using ScimSync.Core.Queueing;

namespace ScimSync.Core.Tests.Queueing;

public sealed class WorkQueueOptionsValidatorTests
{
    private static readonly WorkQueueOptionsValidator Validator = new("ScimSync:Queue");

    [Fact]
    public void Storage_queue_with_a_connection_string_is_valid()
    {
        Assert.True(Validator.Validate(null, new WorkQueueOptions { ConnectionString = "UseDevelopmentStorage=true" }).Succeeded);
    }

    [Theory]
    [InlineData("Work")]
    [InlineData("ab")]
    [InlineData("work--items")]
    [InlineData("-work")]
    public void A_queue_name_Storage_would_reject_is_refused_naming_the_setting(string name)
    {
        var result = Validator.Validate(null, new WorkQueueOptions { ConnectionString = "UseDevelopmentStorage=true", QueueName = name });

        Assert.Contains("ScimSync:Queue:QueueName", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Service_Bus_without_a_namespace_or_connection_string_names_the_settings()
    {
        var result = Validator.Validate(null, new WorkQueueOptions { Transport = WorkQueueTransport.ServiceBus });

        Assert.Contains("ScimSync:Queue:ServiceBus:FullyQualifiedNamespace", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Service_Bus_with_a_namespace_is_valid()
    {
        var options = new WorkQueueOptions { Transport = WorkQueueTransport.ServiceBus };
        options.ServiceBus.FullyQualifiedNamespace = "contoso.servicebus.windows.net";

        Assert.True(Validator.Validate(null, options).Succeeded);
    }
}
