using System.Text.Json;
using ScimSync.Core.Directory;
using ScimSync.Core.Scim;
using static ScimSync.Core.Tests.Scim.ScimTestData;

namespace ScimSync.Core.Tests.Scim;

public sealed class ScimResourceBodyTests
{
    private const string Enterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

    [Fact]
    public void A_user_body_nests_names_types_emails_and_puts_extensions_under_their_urn()
    {
        var attributes = Attributes(
            ("userName", "\"zoë@example.com\""),
            ("name.givenName", "\"Zoë\""),
            ("name.familyName", "\"Ng\""),
            ("emails[type eq \"work\"].value", "\"zoë@example.com\""),
            ("active", "true"),
            ("title", "null"),
            ($"{Enterprise}:department", "\"R&D\""));

        var body = ScimResourceBody.Build(ObjectKind.User, attributes).ToJsonString(ScimJsonContext.Wire.Options);

        Assert.Equal(
            $$$"""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","{{{Enterprise}}}"],"active":true,"emails":[{"type":"work","primary":true,"value":"zoë@example.com"}],"name":{"familyName":"Ng","givenName":"Zoë"},"{{{Enterprise}}}":{"department":"R&D"},"userName":"zoë@example.com"}""",
            body);
    }

    [Fact]
    public void A_returned_resource_reads_back_into_the_paths_it_was_built_from()
    {
        var attributes = Attributes(
            ("userName", "\"ada@example.com\""),
            ("name.givenName", "\"Ada\""),
            ("emails[type eq \"work\"].value", "\"ada@example.com\""),
            ("emails[type eq \"work\"].primary", "true"),
            ("active", "false"),
            ($"{Enterprise}:department", "\"Analytics\""));
        var returned = ScimResourceBody.Build(ObjectKind.User, attributes);
        returned["id"] = "123";
        returned["meta"] = new System.Text.Json.Nodes.JsonObject { ["resourceType"] = "User" };

        var read = ScimResourceBody.Read(JsonSerializer.SerializeToElement(returned, ScimJsonContext.Wire.JsonObject));

        Assert.Equal(attributes, read);
    }

    [Fact]
    public void Untyped_multi_valued_attributes_read_back_as_one_array_value()
    {
        var body = JsonDocument.Parse("""{"id":"1","roles":[{"value":"admin"},{"value":"dev"}],"members":[{"value":"u1"}]}""").RootElement;

        var read = ScimResourceBody.Read(body);

        Assert.Equal(["roles"], read.Values.Keys);
        Assert.Equal(JsonValueKind.Array, read["roles"]!.Value.ValueKind);
    }

    [Fact]
    public void A_group_resource_lists_its_member_ids()
    {
        var body = JsonDocument.Parse("""{"id":"g1","displayName":"Team","members":[{"value":"u1"},{"value":"u2","display":"B"}]}""").RootElement;

        var group = ScimResource.From(ObjectKind.Group, body);

        Assert.Equal(["u1", "u2"], group.Members.Select(m => m.Value));
        Assert.Equal("Team", group.GetString("displayName"));
    }

    [Theory]
    [InlineData("userName", null, "userName", null, null, null)]
    [InlineData("name.givenName", null, "name", null, null, "givenName")]
    [InlineData("emails[type eq \"work\"].value", null, "emails", "type", "work", "value")]
    [InlineData("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", "manager", null, null, "value")]
    public void Attribute_paths_parse_into_their_parts(string text, string? schema, string attribute, string? filterAttribute, string? filterValue, string? sub)
    {
        var path = ScimPath.Parse(text);

        Assert.Equal(new ScimPath(schema, attribute, filterAttribute, filterValue, sub), path);
        Assert.Equal(text, path.ToString());
    }

    [Fact]
    public void An_unsupported_path_fails_with_the_supported_forms()
    {
        var error = Assert.Throws<FormatException>(() => ScimPath.Parse("emails[type ne \"work\"]"));

        Assert.Contains("is not a SCIM attribute path this client supports", error.Message, StringComparison.Ordinal);
    }
}
