using Azure.Core;
using Azure.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ScimSync.Core.Credentials;

namespace ScimSync.Core.Tests.Credentials;

public sealed class AzureIdentityOptionsTests
{
    private static ServiceProvider Compose(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddAzureCredential();
        return services.BuildServiceProvider();
    }

    [Fact]
    public void A_user_assigned_client_id_makes_every_Azure_client_sign_in_as_that_identity()
    {
        using var provider = Compose(new() { ["ScimSync:Identity:ManagedIdentityClientId"] = "5a0f2d6e-3c1b-4c8e-9d2a-7f6e5d4c3b2a" });

        Assert.IsType<ManagedIdentityCredential>(provider.GetRequiredService<TokenCredential>());
    }

    [Fact]
    public void Without_a_client_id_the_default_credential_chain_is_used()
    {
        using var provider = Compose([]);

        Assert.IsType<DefaultAzureCredential>(provider.GetRequiredService<TokenCredential>());
    }

    [Fact]
    public void A_client_id_that_is_not_a_guid_fails_at_start_up_naming_the_setting()
    {
        using var provider = Compose(new() { ["ScimSync:Identity:ManagedIdentityClientId"] = "id-scimsync" });

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<AzureIdentityOptions>>().Value);

        Assert.Contains("ScimSync:Identity:ManagedIdentityClientId", error.Message, StringComparison.Ordinal);
        Assert.Contains("id-scimsync", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_credential_the_host_registered_first_is_kept()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        var hostCredential = new ManagedIdentityCredential(ManagedIdentityId.SystemAssigned);
        services.AddSingleton<TokenCredential>(hostCredential);
        services.AddAzureCredential();
        using var provider = services.BuildServiceProvider();

        Assert.Same(hostCredential, provider.GetRequiredService<TokenCredential>());
    }
}
