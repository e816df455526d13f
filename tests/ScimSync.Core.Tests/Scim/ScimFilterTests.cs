using ScimSync.Core.Scim;

namespace ScimSync.Core.Tests.Scim;

public sealed class ScimFilterTests
{
    [Theory]
    [InlineData("ada@example.com", "userName eq \"ada@example.com\"")]
    [InlineData("O\"Brien", "userName eq \"O\\\"Brien\"")]
    [InlineData(@"DOMAIN\ada", "userName eq \"DOMAIN\\\\ada\"")]
    [InlineData("Zoë 山田", "userName eq \"Zoë 山田\"")]
    [Trait("Category", "Reliability")]
    public void Filter_values_escape_quotes_and_backslashes_and_keep_unicode(string value, string expected)
    {
        Assert.Equal(expected, ScimFilter.Equal("userName", value));
    }
}
