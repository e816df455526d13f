using System.Text.Json;
using ScimSync.Core.Reconciliation;
using ScimSync.Core.Scim;

namespace ScimSync.Core.Tests.Reconciliation;

public sealed class ReturnedAttributeCheckTests
{
    private static ScimAttributes Attributes(params (string Path, object? Value)[] values) =>
        ScimAttributes.From(values.Select(v => KeyValuePair.Create(v.Path, JsonSerializer.SerializeToElement(v.Value))));

    [Fact]
    public void Values_the_target_kept_are_no_difference()
    {
        var sent = Attributes(("title", "Engineer"), ("active", true));

        Assert.Empty(ReturnedAttributeCheck.Differences(sent, Attributes(("title", "Engineer"), ("active", true), ("nickName", "x"))));
    }

    [Fact]
    public void A_dropped_or_changed_value_is_a_difference_with_what_came_back()
    {
        var sent = Attributes(("title", "Engineer"), ("department", "Research"));

        var differences = ReturnedAttributeCheck.Differences(sent, Attributes(("title", "engineer")));

        Assert.Equal(2, differences.Count);
        Assert.Contains(differences, d => d.Path == "title" && d.Returned?.GetString() == "engineer");
        Assert.Contains(differences, d => d.Path == "department" && d.Returned is null);
    }

    [Fact]
    public void A_clear_is_kept_when_the_target_returns_nothing_for_the_path()
    {
        var sent = Attributes(("title", null));

        Assert.Empty(ReturnedAttributeCheck.Differences(sent, Attributes()));
        Assert.Single(ReturnedAttributeCheck.Differences(sent, Attributes(("title", "still here"))));
    }

    [Fact]
    public void What_the_target_did_not_keep_is_recorded_with_its_earlier_value_or_not_at_all()
    {
        var before = Attributes(("title", "Engineer"));
        var desired = Attributes(("title", "Principal"), ("department", "Research"), ("displayName", "Ada"));

        var confirmed = ReturnedAttributeCheck.Confirmed(before, desired, ["title", "department"]);

        Assert.Equal(Attributes(("title", "Engineer"), ("displayName", "Ada")), confirmed);
    }
}
