using System.Text.Json;
using ScimSync.Core.Directory;
using ScimSync.Core.Identity;

namespace ScimSync.Core.Tests.Directory;

public sealed class SourceObjectTests
{
    private static SourceObject User(string json) =>
        SourceObject.Create(new SourceId("u1"), ObjectKind.User, JsonDocument.Parse(json).RootElement.EnumerateObject()
            .Select(p => KeyValuePair.Create(p.Name, p.Value.Clone())));

    [Fact]
    public void Attribute_names_are_case_insensitive_like_Entra_attribute_names()
    {
        var user = User("""{"userPrincipalName":"adele@contoso.com"}""");

        Assert.Equal("adele@contoso.com", user.GetString("USERPRINCIPALNAME"));
    }

    [Fact]
    public void A_json_null_attribute_reads_as_absent()
    {
        var user = User("""{"mail":null}""");

        Assert.Null(user.Get("mail"));
        Assert.Null(user.GetString("mail"));
    }

    [Fact]
    public void With_adds_a_computed_attribute_without_changing_the_original()
    {
        var user = User("""{"accountEnabled":false}""");

        var scoped = user.With("IsSoftDeleted", JsonSerializer.SerializeToElement(true));

        Assert.True(scoped.Get("issoftdeleted")!.Value.GetBoolean());
        Assert.Null(user.Get("IsSoftDeleted"));
    }
}
