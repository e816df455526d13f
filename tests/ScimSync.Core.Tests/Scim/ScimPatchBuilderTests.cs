using ScimSync.Core.Identity;
using ScimSync.Core.Scim;
using ScimSync.Core.Scim.Profiles;
using static ScimSync.Core.Tests.Scim.ScimTestData;

namespace ScimSync.Core.Tests.Scim;

public sealed class ScimPatchBuilderTests
{
    private const string Enterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

    private static readonly ScimPatchStyle Rfc = ScimPatchStyle.Rfc7644;
    private static readonly ScimPatchStyle Atlassian = ScimTargetProfiles.AtlassianCloud.Patch;
    private static readonly ScimPatchStyle EntraDefault = new(ScimOperationCase.Capitalized, PathlessReplace: false, ScimMemberRemoval.ValueArray);
    private static readonly ScimPatchStyle EntraOptScim062020 = new(ScimOperationCase.Lower, PathlessReplace: true, ScimMemberRemoval.ValueFilterPath);

    private static readonly ScimAttributes Applied = Attributes(
        ("userName", "\"ada@example.com\""),
        ("displayName", "\"Ada Lovelace\""),
        ("name.givenName", "\"Ada\""),
        ("name.familyName", "\"Lovelace\""),
        ("emails[type eq \"work\"].value", "\"ada@example.com\""),
        ("active", "true"),
        ($"{Enterprise}:department", "\"Analytics\""));

    [Fact]
    public void Equal_states_give_no_operations()
    {
        Assert.Empty(ScimPatchBuilder.Build(Applied, Applied, Rfc));
    }

    [Fact]
    public void One_changed_attribute_gives_one_replace_on_its_path()
    {
        var desired = Applied.With("displayName", Attributes(("x", "\"Ada King\""))["x"]!.Value);

        Assert.Equal(
            """[{"op":"replace","path":"displayName","value":"Ada King"}]""",
            Json(ScimPatchBuilder.Build(Applied, desired, Rfc)));
    }

    [Fact]
    public void A_changed_work_email_is_replaced_through_its_value_filter_path()
    {
        var desired = Applied.With("emails[type eq \"work\"].value", Attributes(("x", "\"ada.king@example.com\""))["x"]!.Value);

        Assert.Equal(
            """[{"op":"Replace","path":"emails[type eq \"work\"].value","value":"ada.king@example.com"}]""",
            Json(ScimPatchBuilder.Build(Applied, desired, EntraDefault)));
    }

    [Fact]
    public void A_work_email_the_resource_lacks_is_added_to_emails_as_the_primary_value()
    {
        var applied = Applied.Without("emails[type eq \"work\"].value");
        var desired = Applied;

        Assert.Equal(
            """[{"op":"add","path":"emails","value":[{"type":"work","primary":true,"value":"ada@example.com"}]}]""",
            Json(ScimPatchBuilder.Build(applied, desired, Rfc)));
    }

    [Fact]
    public void An_extension_attribute_is_replaced_on_its_full_urn_path()
    {
        var desired = Applied.With($"{Enterprise}:department", Attributes(("x", "\"Engines\""))["x"]!.Value);

        Assert.Equal(
            $$$"""[{"op":"replace","path":"{{{Enterprise}}}:department","value":"Engines"}]""",
            Json(ScimPatchBuilder.Build(Applied, desired, Atlassian)));
    }

    [Fact]
    public void Deactivation_replaces_active_with_a_boolean_false()
    {
        var desired = Applied.With("active", Attributes(("x", "false"))["x"]!.Value);

        Assert.Equal(
            """[{"op":"replace","path":"active","value":false}]""",
            Json(ScimPatchBuilder.Build(Applied, desired, Rfc)));
    }

    [Fact]
    public void Reactivation_replaces_active_with_a_boolean_true_in_Entras_capitalised_spelling()
    {
        var inactive = Applied.With("active", Attributes(("x", "false"))["x"]!.Value);

        Assert.Equal(
            """[{"op":"Replace","path":"active","value":true}]""",
            Json(ScimPatchBuilder.Build(inactive, Applied, EntraDefault)));
    }

    [Fact]
    public void A_desired_null_removes_an_applied_value()
    {
        var desired = Applied.With($"{Enterprise}:department", Attributes(("x", "null"))["x"]!.Value);

        Assert.Equal(
            $$$"""[{"op":"remove","path":"{{{Enterprise}}}:department"}]""",
            Json(ScimPatchBuilder.Build(Applied, desired, Rfc)));
    }

    [Fact]
    public void A_desired_null_for_a_value_never_applied_sends_nothing()
    {
        var desired = Applied.With("title", Attributes(("x", "null"))["x"]!.Value);

        Assert.Empty(ScimPatchBuilder.Build(Applied, desired, Rfc));
    }

    [Fact]
    public void A_path_absent_from_the_desired_state_is_left_alone()
    {
        var desired = Applied.Without("displayName").Without($"{Enterprise}:department");

        Assert.Empty(ScimPatchBuilder.Build(Applied, desired, Rfc));
    }

    [Fact]
    public void Several_changes_give_one_operation_per_path_in_path_order()
    {
        var desired = Applied
            .With("name.familyName", Attributes(("x", "\"King\""))["x"]!.Value)
            .With("displayName", Attributes(("x", "\"Ada King\""))["x"]!.Value)
            .With("title", Attributes(("x", "\"Countess\""))["x"]!.Value);

        Assert.Equal(
            """[{"op":"replace","path":"displayName","value":"Ada King"},{"op":"replace","path":"name.familyName","value":"King"},{"op":"replace","path":"title","value":"Countess"}]""",
            Json(ScimPatchBuilder.Build(Applied, desired, Rfc)));
    }

    [Fact]
    public void Entras_pathless_style_collapses_plain_replaces_but_keeps_the_email_filter_path_separate()
    {
        var desired = Applied
            .With("name.familyName", Attributes(("x", "\"King\""))["x"]!.Value)
            .With("displayName", Attributes(("x", "\"Ada King\""))["x"]!.Value)
            .With("emails[type eq \"work\"].value", Attributes(("x", "\"ada.king@example.com\""))["x"]!.Value)
            .With($"{Enterprise}:department", Attributes(("x", "\"Engines\""))["x"]!.Value);

        Assert.Equal(
            $$$"""[{"op":"replace","value":{"displayName":"Ada King","name.familyName":"King","{{{Enterprise}}}:department":"Engines"}},{"op":"replace","path":"emails[type eq \"work\"].value","value":"ada.king@example.com"}]""",
            Json(ScimPatchBuilder.Build(Applied, desired, EntraOptScim062020)));
    }

    [Fact]
    public void Member_additions_are_batched_with_a_value_array_per_request()
    {
        var members = Enumerable.Range(1, 5).Select(i => new TargetId($"u{i}"));

        var requests = ScimPatchBuilder.AddMembers(members, Atlassian, batchSize: 2);

        Assert.Equal(
            [
                """{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"add","path":"members","value":[{"value":"u1"},{"value":"u2"}]}]}""",
                """{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"add","path":"members","value":[{"value":"u3"},{"value":"u4"}]}]}""",
                """{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"add","path":"members","value":[{"value":"u5"}]}]}""",
            ],
            requests.Select(Json));
    }

    [Fact]
    public void Member_removals_use_a_value_array_in_the_Atlassian_profile()
    {
        var requests = ScimPatchBuilder.RemoveMembers([new TargetId("u1"), new TargetId("u2")], Atlassian, batchSize: 100);

        Assert.Equal(
            """{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"remove","path":"members","value":[{"value":"u1"},{"value":"u2"}]}]}""",
            Json(Assert.Single(requests)));
    }

    [Fact]
    public void Member_removals_use_one_value_filter_path_per_member_in_the_RFC_style()
    {
        var requests = ScimPatchBuilder.RemoveMembers([new TargetId("u1"), new TargetId("u\"2"), new TargetId("u1")], Rfc, batchSize: 100);

        Assert.Equal(
            """{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"remove","path":"members[value eq \"u1\"]"},{"op":"remove","path":"members[value eq \"u\\\"2\"]"}]}""",
            Json(Assert.Single(requests)));
    }

    [Fact]
    public void Entras_default_spelling_capitalises_member_operations()
    {
        var added = ScimPatchBuilder.AddMembers([new TargetId("u1")], EntraDefault, batchSize: 10);
        var removed = ScimPatchBuilder.RemoveMembers([new TargetId("u1")], EntraDefault, batchSize: 10);

        Assert.Contains("\"op\":\"Add\"", Json(Assert.Single(added)), StringComparison.Ordinal);
        Assert.Contains("\"op\":\"Remove\",\"path\":\"members\",\"value\":[{\"value\":\"u1\"}]", Json(Assert.Single(removed)), StringComparison.Ordinal);
    }

    [Fact]
    public void A_batch_size_below_one_is_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ScimPatchBuilder.AddMembers([new TargetId("u1")], Rfc, batchSize: 0));
    }
}
