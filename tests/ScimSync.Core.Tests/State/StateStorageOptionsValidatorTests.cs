using ScimSync.Core.State;

namespace ScimSync.Core.Tests.State;

public sealed class StateStorageOptionsValidatorTests
{
    private static readonly StateStorageOptionsValidator Validator = new("ScimSync:State");

    [Fact]
    public void A_connection_string_alone_is_valid()
    {
        Assert.True(Validator.Validate(null, new StateStorageOptions { ConnectionString = "UseDevelopmentStorage=true" }).Succeeded);
    }

    [Fact]
    public void An_account_uri_alone_is_valid()
    {
        Assert.True(Validator.Validate(null, new StateStorageOptions { TableServiceUri = new Uri("https://contoso.table.core.windows.net") }).Succeeded);
    }

    [Fact]
    public void Neither_connection_string_nor_uri_names_both_settings()
    {
        var result = Validator.Validate(null, new StateStorageOptions());

        Assert.Contains("ScimSync:State:ConnectionString", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("ScimSync:State:TableServiceUri", result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("1abc")]
    [InlineData("scim-sync")]
    [InlineData("ThisPrefixIsFarTooLongForATableNameToStillFit")]
    public void A_table_prefix_Table_Storage_would_reject_is_refused(string prefix)
    {
        var result = Validator.Validate(null, new StateStorageOptions { ConnectionString = "UseDevelopmentStorage=true", TablePrefix = prefix });

        Assert.Contains("ScimSync:State:TablePrefix", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void A_plain_http_account_uri_is_refused()
    {
        var result = Validator.Validate(null, new StateStorageOptions { TableServiceUri = new Uri("http://contoso.table.core.windows.net") });

        Assert.Contains("https", result.FailureMessage, StringComparison.Ordinal);
    }
}
