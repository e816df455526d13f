using System.Text.Json;
using ScimSync.Core.Directory;
using ScimSync.Core.Identity;

namespace ScimSync.Core.Tests.Directory;

public sealed class PartialObjectsTests
{
    private static readonly string[] Expected = PartialObjects.ExpectedProperties(["id", "displayName", "jobTitle", "manager", "members"]);

    private static SourceObject User(string json) =>
        SourceObject.Create(new SourceId("u1"), ObjectKind.User, JsonDocument.Parse(json).RootElement.EnumerateObject()
            .Select(p => KeyValuePair.Create(p.Name, p.Value.Clone())));

    [Fact]
    public void The_id_and_the_relationships_are_not_expected_on_every_object()
    {
        Assert.Equal(["displayName", "jobTitle"], Expected);
    }

    [Fact]
    public void An_object_without_a_selected_property_is_partial()
    {
        Assert.True(PartialObjects.IsPartial(User("""{"id":"u1","jobTitle":"Lead"}"""), Expected));
    }

    [Fact]
    public void A_property_cleared_to_null_counts_as_present()
    {
        Assert.False(PartialObjects.IsPartial(User("""{"id":"u1","displayName":"Ann","jobTitle":null}"""), Expected));
    }

    [Fact]
    public void Selected_names_are_matched_without_regard_to_case()
    {
        Assert.False(PartialObjects.IsPartial(User("""{"DisplayName":"Ann","JOBTITLE":"Lead"}"""), Expected));
    }
}
