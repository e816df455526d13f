using ScimSync.Admin.Security;

namespace ScimSync.Core.Tests.AdminWeb;

public sealed class AdminServerOptionsValidatorTests
{
    private const string Key = "a-long-admin-key-of-32-characters";

    [Fact]
    public void Without_a_url_the_server_is_off_and_needs_no_key()
    {
        var result = new AdminServerOptionsValidator().Validate(null, new AdminServerOptions());

        Assert.True(result.Succeeded);
    }

    [Fact]
    public void Serving_without_a_key_fails_and_names_the_setting()
    {
        var result = new AdminServerOptionsValidator().Validate(null, new AdminServerOptions { Url = new Uri("http://127.0.0.1:7280") });

        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, failure => failure.StartsWith("ScimSync:Admin:Key must be set", StringComparison.Ordinal));
    }

    [Fact]
    public void A_short_key_fails()
    {
        var result = new AdminServerOptionsValidator().Validate(null, new AdminServerOptions { Url = new Uri("http://127.0.0.1:7280"), Key = "short" });

        Assert.Contains(result.Failures!, failure => failure.Contains("at least 16 characters", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("http://0.0.0.0:7280")]
    [InlineData("http://10.1.2.3:7280")]
    [InlineData("http://example.com:7280")]
    [InlineData("https://127.0.0.1:7280")]
    [InlineData("http://127.0.0.1:7280/admin")]
    public void A_url_that_is_not_a_loopback_http_root_fails(string url)
    {
        var result = new AdminServerOptionsValidator().Validate(null, new AdminServerOptions { Url = new Uri(url), Key = Key });

        Assert.True(result.Failed);
        Assert.All(result.Failures!, failure => Assert.StartsWith("ScimSync:Admin:Url", failure, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("http://127.0.0.1:7280")]
    [InlineData("http://localhost:7280")]
    [InlineData("http://[::1]:7280")]
    public void A_loopback_url_with_a_key_passes(string url)
    {
        var result = new AdminServerOptionsValidator().Validate(null, new AdminServerOptions { Url = new Uri(url), Key = Key });

        Assert.True(result.Succeeded, string.Join(" ", result.Failures ?? []));
    }
}
