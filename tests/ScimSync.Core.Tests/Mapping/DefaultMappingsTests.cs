using System.Text.Json;
using ScimSync.Core.Identity;
using ScimSync.Core.Mapping;
using ScimSync.Core.Scim;
using static ScimSync.Core.Tests.Mapping.MappingTestData;

namespace ScimSync.Core.Tests.Mapping;

public sealed class DefaultMappingsTests
{
    private static readonly CompiledJobMappings Atlassian =
        new MappingValidator().Validate(new JobId("atlassian"), 0, DefaultMappings.AtlassianCloud).GetMappingsOrThrow();

    private static readonly MappingEngine Engine = new(Clock());

    private static ScimAttributes Expected(string json) =>
        ScimAttributes.From(JsonDocument.Parse(json).RootElement.EnumerateObject().Select(p => KeyValuePair.Create(p.Name, p.Value.Clone())).ToList());

    [Fact]
    public void Atlassian_defaults_map_a_mailbox_user_to_the_expected_resource()
    {
        var adele = User("""
            {"id":"97a8ce9a-db72-5cf3-8690-43c038a08250","userPrincipalName":"adele.vance@contoso.com","displayName":"Adele Vance",
             "givenName":"Adele","surname":"Vance","mail":"adele.vance@contoso.com","jobTitle":"Engineering Manager",
             "department":"Engineering","accountEnabled":true,"employeeId":"E1000","mobilePhone":"+1 425 555 0100","IsSoftDeleted":false}
            """);

        var result = Engine.Map(adele, Atlassian, isCreate: true);

        Assert.True(result.Succeeded, result.FailureReason);
        Assert.Equal(Expected("""
            {"userName":"adele.vance@contoso.com","active":true,"name.givenName":"Adele","name.familyName":"Vance",
             "emails[type eq \"work\"].value":"adele.vance@contoso.com","emails[type eq \"work\"].primary":true,
             "displayName":"Adele Vance","title":"Engineering Manager","department":"Engineering",
             "externalId":"97a8ce9a-db72-5cf3-8690-43c038a08250"}
            """), result.Attributes);
        Assert.Equal("adele.vance@contoso.com", Assert.Single(result.Matching).Value.GetString());
    }

    [Fact]
    public void A_user_without_a_mailbox_gets_the_UPN_as_work_email()
    {
        var dana = User("""
            {"userPrincipalName":"dana.kim@contoso.com","displayName":"Dana Kim","givenName":"Dana","surname":"Kim","mail":null,
             "jobTitle":"Senior Software Engineer","department":"Engineering","accountEnabled":true,"IsSoftDeleted":false}
            """, "c8d53060-7167-56ac-af3d-3ea604ac01c9");

        var result = Engine.Map(dana, Atlassian, isCreate: true);

        Assert.Equal("dana.kim@contoso.com", result.Attributes["emails[type eq \"work\"].value"]!.Value.GetString());
        Assert.Equal("c8d53060-7167-56ac-af3d-3ea604ac01c9", result.Attributes["externalId"]!.Value.GetString());
    }

    [Fact]
    public void A_disabled_user_maps_to_active_false()
    {
        var carla = User("""
            {"userPrincipalName":"carla.rossi@contoso.com","displayName":"Carla Rossi","givenName":"Carla","surname":"Rossi",
             "mail":"carla.rossi@contoso.com","accountEnabled":false,"IsSoftDeleted":true}
            """, "c7b43f88-e203-50c5-910c-4b79e06cdba7");

        var result = Engine.Map(carla, Atlassian, isCreate: false);

        Assert.Equal(JsonValueKind.False, result.Attributes["active"]!.Value.ValueKind);
    }

    [Fact]
    public void Names_with_diacritics_are_sent_unchanged()
    {
        var zoe = User("""{"userPrincipalName":"zoe.akesson@contoso.com","displayName":"Zoë Åkesson","givenName":"Zoë","surname":"Åkesson","IsSoftDeleted":false}""");

        var result = Engine.Map(zoe, Atlassian, isCreate: true);

        Assert.Equal("Åkesson", result.Attributes["name.familyName"]!.Value.GetString());
        Assert.Equal("Zoë Åkesson", result.Attributes["displayName"]!.Value.GetString());
    }

    [Fact]
    public void A_user_without_a_job_title_sends_no_title()
    {
        var user = User("""{"userPrincipalName":"new.hire@contoso.com","IsSoftDeleted":false}""");

        var result = Engine.Map(user, Atlassian, isCreate: true);

        Assert.Null(result.Attributes["title"]);
        Assert.Null(result.Attributes["department"]);
    }

    [Fact]
    public void Atlassian_groups_map_name_and_object_id_and_declare_membership()
    {
        var engineering = Group("""{"displayName":"Engineering","description":"All engineers","mailNickname":"engineering","members":["u1","u2"]}""");

        var result = Engine.Map(engineering, Atlassian, isCreate: true);

        Assert.Equal(Expected("""{"displayName":"Engineering","externalId":"f73b2383-8da9-5d03-8752-f5cb83cd6c39"}"""), result.Attributes);
        Assert.Equal("displayName", Assert.Single(result.Matching).Target);
        Assert.True(Atlassian.Groups.ProvisionsMembers);
    }

    [Fact]
    public void A_job_can_override_remove_and_add_to_the_defaults()
    {
        var mappings = new MappingValidator().Validate(new JobId("custom"), 0, DefaultMappings.AtlassianCloud, new JobMappingsConfiguration
        {
            Users =
            [
                AttributeMapping.FromExpression("Coalesce([jobTitle], \"Staff\")", "title"),
                AttributeMapping.Direct("mobilePhone", "phoneNumbers[type eq \"mobile\"].value"),
            ],
            RemoveUsers = ["department", "externalId"],
            RemoveGroups = ["members"],
        }).GetMappingsOrThrow();

        var result = Engine.Map(User("""{"userPrincipalName":"a@contoso.com","department":"Sales","mobilePhone":"+1 425","IsSoftDeleted":false}"""), mappings, isCreate: true);

        Assert.Equal("Staff", result.Attributes["title"]!.Value.GetString());
        Assert.Equal("+1 425", result.Attributes["phoneNumbers[type eq \"mobile\"].value"]!.Value.GetString());
        Assert.Null(result.Attributes["department"]);
        Assert.Null(result.Attributes["externalId"]);
        Assert.False(mappings.Groups.ProvisionsMembers);
    }

    [Fact]
    public void Generic_SCIM_defaults_use_the_enterprise_extension_and_core_addresses()
    {
        var mappings = new MappingValidator().Validate(new JobId("generic"), 0, DefaultMappings.GenericScim).GetMappingsOrThrow();
        var user = User("""
            {"userPrincipalName":"adele.vance@contoso.com","givenName":"Adele","surname":"Vance","department":"Engineering",
             "employeeId":"E1000","city":"Redmond","businessPhones":["+1 425 555 0100"],"mailNickname":"adelev","IsSoftDeleted":false}
            """);

        var result = Engine.Map(user, mappings, isCreate: true);

        Assert.True(result.Succeeded, result.FailureReason);
        Assert.Equal("Engineering", result.Attributes[DefaultMappings.EnterpriseUser + ":department"]!.Value.GetString());
        Assert.Equal("E1000", result.Attributes[DefaultMappings.EnterpriseUser + ":employeeNumber"]!.Value.GetString());
        Assert.Equal("Adele Vance", result.Attributes["name.formatted"]!.Value.GetString());
        Assert.Equal("Redmond", result.Attributes["addresses[type eq \"work\"].locality"]!.Value.GetString());
        Assert.Equal("+1 425 555 0100", result.Attributes["phoneNumbers[type eq \"work\"].value"]!.Value.GetString());
        Assert.Equal("adelev", result.Attributes["externalId"]!.Value.GetString());
        Assert.True(result.Attributes["active"]!.Value.GetBoolean());
    }
}
