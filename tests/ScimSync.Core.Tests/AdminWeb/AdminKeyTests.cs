using Microsoft.Extensions.Options;
using ScimSync.Admin.Security;

namespace ScimSync.Core.Tests.AdminWeb;

public sealed class AdminKeyTests
{
    private const string Key = "a-long-admin-key-of-32-characters";

    [Fact]
    [Trait("Category", "Reliability")]
    public void The_key_is_accepted_and_anything_else_is_refused()
    {
        var key = Create(Key);

        Assert.True(key.IsKey(Key));
        Assert.True(key.IsKey(" " + Key + " "));
        Assert.False(key.IsKey(Key[..^1]));
        Assert.False(key.IsKey(Key + "x"));
        Assert.False(key.IsKey(string.Empty));
        Assert.False(key.IsKey(null));
    }

    [Fact]
    public void The_session_and_form_tokens_are_neither_the_key_nor_each_other()
    {
        var key = Create(Key);

        Assert.NotEqual(key.SessionValue, key.FormToken);
        Assert.DoesNotContain(Key, key.SessionValue, StringComparison.Ordinal);
        Assert.False(key.IsKey(key.SessionValue));
        Assert.False(key.IsSession(key.FormToken));
        Assert.False(key.IsFormToken(key.SessionValue));
        Assert.True(key.IsSession(key.SessionValue));
        Assert.True(key.IsFormToken(key.FormToken));
    }

    [Fact]
    public void Another_key_yields_other_tokens_and_the_same_key_the_same_ones()
    {
        Assert.NotEqual(Create(Key).SessionValue, Create(Key + "2").SessionValue);
        Assert.Equal(Create(Key).FormToken, Create(Key).FormToken);
    }

    private static AdminKey Create(string key) => new(Options.Create(new AdminServerOptions { Key = key, Url = new Uri("http://127.0.0.1:7280") }));
}
