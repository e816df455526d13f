using ScimSync.Core.Mapping;

namespace ScimSync.Core.Tests.Mapping;

public sealed class TargetPathTests
{
    [Theory]
    [InlineData("userName", null, "userName", null, null, null)]
    [InlineData("name.givenName", null, "name", null, null, "givenName")]
    [InlineData("emails[type eq \"work\"].value", null, "emails", "type", "work", "value")]
    [InlineData("phoneNumbers[type eq \"mobile\"].value", null, "phoneNumbers", "type", "mobile", "value")]
    [InlineData(" title ", null, "title", null, null, null)]
    [InlineData("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", "department", null, null, null)]
    [InlineData("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", "manager", null, null, "value")]
    public void Valid_paths_parse_into_their_parts(string text, string? schema, string attribute, string? filterAttribute, string? filterValue, string? sub)
    {
        var path = TargetPath.Parse(text);

        Assert.Equal(text.Trim(), path.Text);
        Assert.Equal(schema, path.Schema);
        Assert.Equal(attribute, path.Attribute);
        Assert.Equal(filterAttribute, path.FilterAttribute);
        Assert.Equal(filterValue, path.FilterValue);
        Assert.Equal(sub, path.SubAttribute);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("emails[type eq work].value", "a value filter reads")]
    [InlineData("emails[type eq \"work\"]", "names no sub-attribute")]
    [InlineData("emails[type co \"work\"].value", "a value filter reads")]
    [InlineData("name..givenName", "not a valid SCIM attribute path")]
    [InlineData("1userName", "not a valid SCIM attribute path")]
    [InlineData("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:", "not a valid SCIM attribute path")]
    [InlineData("user name", "not a valid SCIM attribute path")]
    public void Invalid_paths_say_what_is_wrong(string text, string problem)
    {
        Assert.False(TargetPath.TryParse(text, out _, out var error));
        Assert.Contains(problem, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("active", true)]
    [InlineData("emails[type eq \"work\"].primary", true)]
    [InlineData("displayName", false)]
    public void Boolean_targets_are_recognised(string text, bool expected) => Assert.Equal(expected, TargetPath.Parse(text).IsBoolean);

    [Theory]
    [InlineData("members", true)]
    [InlineData("members.value", false)]
    [InlineData("displayName", false)]
    public void The_members_target_is_recognised(string text, bool expected) => Assert.Equal(expected, TargetPath.Parse(text).IsMembers);
}
