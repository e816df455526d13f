using System.Text.Json;
using ScimSync.Core.Logging;
using ScimSync.Core.Scim;

namespace ScimSync.Core.Tests.Logging;

public sealed class ModifiedPropertyTests
{
    private static ScimAttributes Attributes(string json) =>
        ScimAttributes.From(JsonDocument.Parse(json).RootElement.EnumerateObject().Select(p => KeyValuePair.Create(p.Name, p.Value.Clone())));

    [Fact]
    public void Only_attributes_that_changed_are_listed_with_old_and_new_values()
    {
        var changes = ModifiedProperty.Between(
            Attributes("""{"userName":"adele@contoso.com","active":true,"title":"Engineer"}"""),
            Attributes("""{"userName":"adele@contoso.com","active":false,"displayName":"Adele"}"""));

        Assert.Equal(
            [new ModifiedProperty("active", "true", "false"), new ModifiedProperty("displayName", null, "Adele"), new ModifiedProperty("title", "Engineer", null)],
            changes);
    }

    [Fact]
    public void Values_of_redacted_attributes_are_hidden()
    {
        var changes = ModifiedProperty.Between(
            Attributes("""{"employeeNumber":"123"}"""),
            Attributes("""{"employeeNumber":"456"}"""),
            ["EMPLOYEENUMBER"]);

        var change = Assert.Single(changes);
        Assert.Equal(ModifiedProperty.RedactedValue, change.OldValue);
        Assert.Equal(ModifiedProperty.RedactedValue, change.NewValue);
        Assert.DoesNotContain("456", change.ToString(), StringComparison.Ordinal);
    }
}
