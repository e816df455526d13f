using ScimSync.Core.Directory;

namespace ScimSync.Core.Tests.Directory;

public sealed class GraphSourceOptionsTests
{
    [Fact]
    public void The_defaults_use_the_managed_identity_against_global_Graph() =>
        Assert.Empty(new GraphSourceOptions().Validate("jobs[0].source"));

    [Fact]
    public void A_client_secret_credential_needs_tenant_client_and_secret_and_the_errors_name_the_settings()
    {
        var errors = new GraphSourceOptions { Credential = GraphCredentialKind.ClientSecret, TenantId = "contoso" }.Validate("jobs[0].source");

        Assert.Collection(errors,
            e => Assert.StartsWith("jobs[0].source.tenantId:", e, StringComparison.Ordinal),
            e => Assert.StartsWith("jobs[0].source.clientId:", e, StringComparison.Ordinal),
            e => Assert.StartsWith("jobs[0].source.clientSecret:", e, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("http://graph.example.com/v1.0", GraphCredentialKind.ManagedIdentity, "jobs[0].source.baseUrl: plain http")]
    [InlineData("https://graph.example.com/v1.0", GraphCredentialKind.Anonymous, "jobs[0].source.credential: Anonymous")]
    [InlineData("graph.microsoft.com", GraphCredentialKind.ManagedIdentity, "jobs[0].source.baseUrl:")]
    [Trait("Category", "Reliability")]
    public void Plain_http_and_anonymous_access_are_only_for_a_loopback_emulator(string baseUrl, GraphCredentialKind credential, string expected) =>
        Assert.StartsWith(expected, Assert.Single(new GraphSourceOptions { BaseUrl = baseUrl, Credential = credential }.Validate("jobs[0].source")), StringComparison.Ordinal);

    [Theory]
    [InlineData("http://login.microsoftonline.us")]
    [InlineData("login.microsoftonline.us")]
    [Trait("Category", "Reliability")]
    public void A_sign_in_authority_must_be_https(string authorityHost) =>
        Assert.Equal($"jobs[0].source.authorityHost: \"{authorityHost}\" is not an https URL such as https://login.microsoftonline.us",
            Assert.Single(new GraphSourceOptions { AuthorityHost = authorityHost }.Validate("jobs[0].source")));

    [Fact]
    [Trait("Category", "Reliability")]
    public void A_static_token_is_only_for_a_loopback_emulator_and_needs_the_token()
    {
        var remote = new GraphSourceOptions { BaseUrl = "https://graph.example.com/v1.0", Credential = GraphCredentialKind.StaticToken, ClientSecret = "t" };
        var missing = new GraphSourceOptions { BaseUrl = "http://127.0.0.1:5005/v1.0", Credential = GraphCredentialKind.StaticToken };
        var valid = new GraphSourceOptions { BaseUrl = "http://127.0.0.1:5005/v1.0", Credential = GraphCredentialKind.StaticToken, ClientSecret = "t" };

        Assert.StartsWith("jobs[0].source.credential: StaticToken", Assert.Single(remote.Validate("jobs[0].source")), StringComparison.Ordinal);
        Assert.StartsWith("jobs[0].source.clientSecret: StaticToken", Assert.Single(missing.Validate("jobs[0].source")), StringComparison.Ordinal);
        Assert.Empty(valid.Validate("jobs[0].source"));
    }

    [Fact]
    public void An_anonymous_loopback_emulator_source_is_valid_and_builds_a_client_with_its_base_url()
    {
        var options = new GraphSourceOptions { BaseUrl = "http://127.0.0.1:5005/v1.0/", Credential = GraphCredentialKind.Anonymous };

        var client = GraphClientBuilder.Build(options);

        Assert.Empty(options.Validate("source"));
        Assert.Equal("http://127.0.0.1:5005/v1.0", client.RequestAdapter.BaseUrl);
    }

    [Fact]
    public void A_national_cloud_client_is_built_for_its_own_endpoint()
    {
        var client = GraphClientBuilder.Build(new GraphSourceOptions
        {
            BaseUrl = "https://graph.microsoft.us/v1.0",
            Credential = GraphCredentialKind.ClientSecret,
            TenantId = Guid.NewGuid().ToString(),
            ClientId = Guid.NewGuid().ToString(),
            ClientSecret = "not-used-offline",
            AuthorityHost = "https://login.microsoftonline.us",
        });

        Assert.Equal("https://graph.microsoft.us/v1.0", client.RequestAdapter.BaseUrl);
    }

    [Fact]
    public void The_select_list_adds_what_the_reader_needs_and_keeps_top_level_properties_only()
    {
        var users = GraphDirectoryReader.SelectFor(new DeltaReadRequest(ObjectKind.User, null, ["displayName", "manager.id", "Mail"]));
        var groups = GraphDirectoryReader.SelectFor(new DeltaReadRequest(ObjectKind.Group, null, ["displayName"]));

        Assert.Equal(["accountEnabled", "displayName", "id", "Mail", "manager"], users);
        Assert.Equal(["displayName", "id", "members"], groups);
    }
}
