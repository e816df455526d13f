using System.Text.Json;
using ScimSync.Core.Directory;
using ScimSync.Core.Identity;
using ScimSync.Core.Mapping;

namespace ScimSync.Core.Tests.Mapping;

public sealed class MappingValidatorTests
{
    private static readonly JobId Job = new("atlassian-prod");

    private static MappingValidationResult Validate(JobMappingsConfiguration configuration, string profile = DefaultMappings.AtlassianCloud, int jobIndex = 0) =>
        new MappingValidator().Validate(Job, jobIndex, profile, configuration);

    [Theory]
    [InlineData(DefaultMappings.AtlassianCloud)]
    [InlineData(DefaultMappings.GenericScim)]
    public void The_built_in_defaults_are_valid(string profile)
    {
        var result = new MappingValidator().Validate(Job, 0, profile);

        Assert.True(result.IsValid, result.ToString());
        Assert.NotNull(result.Mappings);
    }

    [Fact]
    public void A_misspelt_function_names_the_job_the_mapping_the_position_and_the_fix()
    {
        var result = Validate(new JobMappingsConfiguration
        {
            Users = [AttributeMapping.FromExpression("Coalese([mail], [userPrincipalName])", "emails[type eq \"work\"].value")],
        });

        var error = Assert.Single(result.Errors);
        Assert.Equal("jobs[0].mappings.users[0].expression", error.Path);
        Assert.Equal(Job, error.Job);
        Assert.Equal("emails[type eq \"work\"].value", error.Target);
        Assert.Equal(1, error.Position);
        Assert.Equal(
            "jobs[0].mappings.users[0].expression: job 'atlassian-prod', mapping 'emails[type eq \"work\"].value', position 1: unknown function 'Coalese'. Did you mean 'Coalesce'?",
            error.ToString());
    }

    [Fact]
    public void An_unknown_source_attribute_in_an_expression_is_reported_at_its_position()
    {
        var result = Validate(new JobMappingsConfiguration
        {
            Users = [AttributeMapping.FromExpression("Join(\" \", [givenName], [surnme])", "name.formatted")],
        }, jobIndex: 2);

        var error = Assert.Single(result.Errors);
        Assert.Equal("jobs[2].mappings.users[0].expression", error.Path);
        Assert.Equal(24, error.Position);
        Assert.Contains("'surnme' is not a known user source attribute", error.Message, StringComparison.Ordinal);
        Assert.Equal("Did you mean 'surname'?", error.Hint);
    }

    [Fact]
    public void An_unknown_direct_source_names_the_source_setting()
    {
        var result = Validate(new JobMappingsConfiguration { Users = [AttributeMapping.Direct("jobtitel", "title")] });

        var error = Assert.Single(result.Errors);
        Assert.Equal("jobs[0].mappings.users[0].source", error.Path);
        Assert.Equal("Did you mean 'jobTitle'?", error.Hint);
    }

    [Theory]
    [InlineData("[extension_8a4fd323cdb4_costCenter]")]
    [InlineData("[IsSoftDeleted]")]
    [InlineData("[MAIL]")]
    [InlineData("[objectId]")]
    public void Extension_computed_and_differently_cased_attributes_are_known(string expression)
    {
        var result = Validate(new JobMappingsConfiguration { Users = [AttributeMapping.FromExpression(expression, "nickName")] });

        Assert.True(result.IsValid, result.ToString());
    }

    [Fact]
    public void Others_can_extend_the_known_source_attributes()
    {
        var configuration = new JobMappingsConfiguration { Users = [AttributeMapping.Direct("costCenter", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:costCenter")] };

        Assert.False(Validate(configuration).IsValid);
        var extended = SourceAttributeCatalog.Default.With(ObjectKind.User, "costCenter");
        Assert.True(new MappingValidator(extended).Validate(Job, 0, DefaultMappings.AtlassianCloud, configuration).IsValid);
    }

    [Fact]
    public void Every_error_in_a_job_is_listed_with_its_own_path()
    {
        var result = Validate(new JobMappingsConfiguration
        {
            Users =
            [
                AttributeMapping.FromExpression("Left([givenName])", "nickName"),
                AttributeMapping.Direct("givenName", "emails[type eq work].value"),
                AttributeMapping.FromConstant("yes", "active"),
                new AttributeMapping { Kind = MappingKind.Direct, Target = "title" },
            ],
            Groups = [AttributeMapping.FromExpression("\"unclosed", "description")],
            RemoveUsers = ["department", "manager"],
        });

        Assert.Equal(
            [
                "jobs[0].mappings.removeUsers[1]",
                "jobs[0].mappings.users[0].expression",
                "jobs[0].mappings.users[1].target",
                "jobs[0].mappings.users[2].constant",
                "jobs[0].mappings.users[3].source",
                "jobs[0].mappings.groups[0].expression",
            ],
            result.Errors.Select(e => e.Path));
        Assert.Contains("Left takes 2 arguments but was given 1", result.Errors[1].Message, StringComparison.Ordinal);
        Assert.Null(result.Mappings);
        var thrown = Assert.Throws<MappingConfigurationException>(result.GetMappingsOrThrow);
        Assert.Equal(6, thrown.Errors.Count);
        Assert.Contains("jobs[0].mappings.groups[0].expression: job 'atlassian-prod', mapping 'description', position 1: the text literal is not closed", thrown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Removing_a_default_that_does_not_exist_suggests_the_nearest()
    {
        var result = Validate(new JobMappingsConfiguration { RemoveUsers = ["titel"] });

        var error = Assert.Single(result.Errors);
        Assert.Equal("jobs[0].mappings.removeUsers[0]", error.Path);
        Assert.Equal("Did you mean 'title'?", error.Hint);
    }

    [Fact]
    public void Mappings_without_a_matching_attribute_are_rejected()
    {
        var result = Validate(new JobMappingsConfiguration
        {
            ReplaceDefaults = true,
            Users = [AttributeMapping.Direct("userPrincipalName", "userName")],
        });

        var error = Assert.Single(result.Errors);
        Assert.Equal("jobs[0].mappings.users", error.Path);
        Assert.Contains("matching", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_matching_attributes_with_the_same_precedence_are_rejected()
    {
        var result = Validate(new JobMappingsConfiguration { Users = [AttributeMapping.Direct("id", "externalId").AsMatching(1)] });

        var error = Assert.Single(result.Errors);
        Assert.Contains("precedence 1", error.Message, StringComparison.Ordinal);
        Assert.Contains("externalId", error.Target, StringComparison.Ordinal);
    }

    [Fact]
    public void The_same_target_twice_in_the_file_is_rejected()
    {
        var result = Validate(new JobMappingsConfiguration
        {
            Users = [AttributeMapping.Direct("jobTitle", "title"), AttributeMapping.Direct("department", "Title")],
        });

        var error = Assert.Single(result.Errors);
        Assert.Equal("jobs[0].mappings.users[1].target", error.Path);
        Assert.Contains("users[0]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Members_can_only_be_declared_for_groups()
    {
        var result = Validate(new JobMappingsConfiguration { Users = [AttributeMapping.Direct("members", "members")] });

        Assert.Contains(result.Errors, e => e.Path == "jobs[0].mappings.users[0].target" && e.Message.Contains("only groups have members", StringComparison.Ordinal));
    }

    [Fact]
    public void An_unknown_profile_without_explicit_mappings_is_rejected()
    {
        var result = new MappingValidator().Validate(Job, 1, "salesforce");

        var error = Assert.Single(result.Errors);
        Assert.Equal("jobs[1].mappings", error.Path);
        Assert.Contains("'atlassian-cloud'", error.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void A_misspelt_field_in_the_job_file_is_rejected_when_binding()
    {
        const string json = """{ "users": [ { "target": "title", "kind": "expression", "expresion": "[jobTitle]" } ] }""";

        var error = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize(json, MappingJsonContext.Default.JobMappingsConfiguration));

        Assert.Contains("expresion", error.Message, StringComparison.Ordinal);
        Assert.Contains("$.users[0]", error.Path, StringComparison.Ordinal);
    }

    [Fact]
    public void A_mappings_section_from_a_job_file_binds_and_validates()
    {
        const string json = """
            {
              // start from the Atlassian defaults
              "users": [
                { "target": "title", "kind": "expression", "expression": "Coalesce([jobTitle], \"Staff\")" },
                { "target": "nickName", "source": "mailNickname", "apply": "onCreate", "defaultValue": "none", "clearWhenNull": true }
              ],
              "removeUsers": [ "department" ],
              "removeGroups": [ "members" ],
            }
            """;

        var configuration = JsonSerializer.Deserialize(json, MappingJsonContext.Default.JobMappingsConfiguration)!;
        var mappings = Validate(configuration).GetMappingsOrThrow();

        var title = Assert.Single(mappings.Users.Mappings, m => m.Target.Text == "title");
        Assert.Equal(MappingKind.Expression, title.Definition.Kind);
        var nickName = Assert.Single(mappings.Users.Mappings, m => m.Target.Text == "nickName");
        Assert.Equal(MappingApply.OnCreate, nickName.Definition.Apply);
        Assert.True(nickName.Definition.ClearWhenNull);
        Assert.DoesNotContain(mappings.Users.Mappings, m => m.Target.Text == "department");
        Assert.False(mappings.Groups.ProvisionsMembers);
        Assert.Contains("\"apply\":\"onCreate\"", JsonSerializer.Serialize(nickName.Definition, MappingJsonContext.Default.AttributeMapping), StringComparison.Ordinal);
    }
}
