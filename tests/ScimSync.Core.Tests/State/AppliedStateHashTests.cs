using System.Text.Json;
using ScimSync.Core.Scim;
using ScimSync.Core.State.Objects;

namespace ScimSync.Core.Tests.State;

public sealed class AppliedStateHashTests
{
    private static ScimAttributes Attributes(string json) =>
        ScimAttributes.From(JsonDocument.Parse(json).RootElement.EnumerateObject().Select(p => KeyValuePair.Create(p.Name, p.Value.Clone())));

    [Fact]
    public void Equal_attributes_hash_equally_whatever_the_order_and_case_of_paths_and_properties()
    {
        var first = Attributes("""{"userName":"adele","emails":[{"type":"work","value":"a@contoso.com"}],"active":true}""");
        var second = Attributes("""{"ACTIVE":true,"Emails":[{"value":"a@contoso.com","type":"work"}],"username":"adele"}""");

        Assert.Equal(AppliedStateHash.Of(first), AppliedStateHash.Of(second));
    }

    [Theory]
    [InlineData("""{"userName":"adele","active":false}""")]
    [InlineData("""{"userName":"Adele","active":true}""")]
    [InlineData("""{"userName":"adele","active":true,"title":"Engineer"}""")]
    [InlineData("""{"userName":"adele"}""")]
    public void Any_change_in_a_value_or_attribute_changes_the_hash(string changed)
    {
        var original = Attributes("""{"userName":"adele","active":true}""");

        Assert.NotEqual(AppliedStateHash.Of(original), AppliedStateHash.Of(Attributes(changed)));
    }

    [Fact]
    public void The_order_of_array_items_matters()
    {
        Assert.NotEqual(
            AppliedStateHash.Of(Attributes("""{"emails":["a","b"]}""")),
            AppliedStateHash.Of(Attributes("""{"emails":["b","a"]}""")));
    }
}
