using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ScimSync.Core.Scim;

namespace ScimSync.Core.Tests.Scim;

public sealed class ScimClientOptionsTests
{
    private static IOptions<ScimClientOptions> Resolve(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddLogging();
        services.AddScimClient();
        return services.BuildServiceProvider().GetRequiredService<IOptions<ScimClientOptions>>();
    }

    [Fact]
    public void Defaults_are_valid()
    {
        var options = Resolve([]).Value;

        Assert.Equal(10, options.DefaultRequestsPerSecond);
        Assert.Equal(TimeSpan.FromSeconds(30), options.AttemptTimeout);
    }

    [Fact]
    public void Settings_bind_from_the_Scim_section()
    {
        var options = Resolve(new() { ["ScimSync:Scim:AttemptTimeout"] = "00:00:05", ["ScimSync:Scim:DefaultRequestsPerSecond"] = "4" }).Value;

        Assert.Equal(TimeSpan.FromSeconds(5), options.AttemptTimeout);
        Assert.Equal(4, options.DefaultRequestsPerSecond);
    }

    [Fact]
    public void Invalid_settings_fail_naming_each_setting()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Resolve(new()
        {
            ["ScimSync:Scim:AttemptTimeout"] = "00:05:00",
            ["ScimSync:Scim:TotalRequestTimeout"] = "00:01:00",
            ["ScimSync:Scim:DefaultRequestsPerSecond"] = "0",
        }).Value);

        Assert.Contains(error.Failures, f => f.Contains("ScimSync:Scim:TotalRequestTimeout", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("ScimSync:Scim:DefaultRequestsPerSecond", StringComparison.Ordinal));
    }
}
