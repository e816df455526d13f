using System.Text.Json;
using ScimSync.Core.Identity;
using ScimSync.Core.Mapping;
using static ScimSync.Core.Tests.Mapping.MappingTestData;

namespace ScimSync.Core.Tests.Mapping;

public sealed class MappingEngineTests
{
    private const string Adele = """
        {"userPrincipalName":"adele.vance@contoso.com","givenName":"Adele","surname":"Vance","mail":"adele.vance@contoso.com",
         "displayName":"Adele Vance","jobTitle":"Engineering Manager","department":"Engineering","employeeId":"E1000",
         "accountEnabled":true,"IsSoftDeleted":false,"proxyAddresses":["SMTP:adele.vance@contoso.com","smtp:adele@contoso.com"]}
        """;

    private static CompiledJobMappings Compile(params AttributeMapping[] users) =>
        new MappingValidator().Validate(new JobId("job"), 0, DefaultMappings.AtlassianCloud, new JobMappingsConfiguration { Users = users })
            .GetMappingsOrThrow();

    private static MappingResult Map(CompiledJobMappings mappings, string json = Adele, bool isCreate = true) =>
        new MappingEngine(Clock()).Map(User(json), mappings, isCreate);

    private static string? Value(MappingResult result, string path) =>
        result.Attributes[path] is { } value ? value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText() : null;

    [Fact]
    public void An_onCreate_mapping_is_sent_on_create_and_not_on_update()
    {
        var mappings = Compile(AttributeMapping.FromExpression("Left([employeeId], 3)", "nickName") with { Apply = MappingApply.OnCreate });

        Assert.Equal("E10", Value(Map(mappings, isCreate: true), "nickName"));
        Assert.Null(Value(Map(mappings, isCreate: false), "nickName"));
    }

    [Fact]
    public void A_default_value_fills_a_null_on_create_only()
    {
        var mappings = Compile(AttributeMapping.Direct("preferredLanguage", "preferredLanguage") with { DefaultValue = "en-US" });

        Assert.Equal("en-US", Value(Map(mappings, isCreate: true), "preferredLanguage"));
        Assert.Null(Map(mappings, isCreate: false).Attributes["preferredLanguage"]);
    }

    [Fact]
    public void A_null_result_is_not_sent_unless_the_mapping_opts_in_to_clearing()
    {
        var leave = Map(Compile(AttributeMapping.Direct("mobilePhone", "phoneNumbers[type eq \"mobile\"].value")), isCreate: false);
        var clear = Map(Compile(AttributeMapping.Direct("mobilePhone", "phoneNumbers[type eq \"mobile\"].value") with { ClearWhenNull = true }), isCreate: false);

        Assert.Null(leave.Attributes["phoneNumbers[type eq \"mobile\"].value"]);
        Assert.Equal(JsonValueKind.Null, clear.Attributes["phoneNumbers[type eq \"mobile\"].value"]!.Value.ValueKind);
        Assert.Equal(["phoneNumbers[type eq \"mobile\"].value"], clear.ClearedPaths);
    }

    [Fact]
    public void IgnoreFlowIfNullOrEmpty_wins_over_clearing_and_defaults()
    {
        var mappings = Compile(AttributeMapping.FromExpression("IgnoreFlowIfNullOrEmpty([mobilePhone])", "nickName") with { ClearWhenNull = true, DefaultValue = "x" });

        Assert.Null(Map(mappings).Attributes["nickName"]);
    }

    [Fact]
    [Trait("Category", "Reliability")]
    public void Control_and_bidirectional_formatting_characters_are_removed_from_every_value_sent_and_reported()
    {
        var json = Adele
            .Replace("\"displayName\":\"Adele Vance\"", "\"displayName\":\"Adele\\u0000 \\u202EecnaV\\u202C\\u0007\"", StringComparison.Ordinal)
            .Replace("\"jobTitle\":\"Engineering Manager\"", "\"jobTitle\":\"Ingénieure 𝔄 \\\" \\\\ ok\"", StringComparison.Ordinal);

        var result = Map(Compile(), json);

        Assert.Equal("Adele ecnaV", Value(result, "displayName"));
        Assert.Equal("Ingénieure 𝔄 \" \\ ok", Value(result, "title"));
        Assert.Equal(["displayName"], result.InvisibleCharactersRemoved);
    }

    [Fact]
    public void A_redacted_mapping_is_sent_but_reported_so_logs_hide_it()
    {
        var mappings = Compile(AttributeMapping.FromExpression("Redact([employeeId])", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber"));
        var engine = new MappingEngine(Clock());

        var result = engine.Map(User(Adele), mappings, isCreate: true);
        var preview = engine.Preview(User(Adele), mappings, isCreate: true);

        Assert.Equal("E1000", Value(result, "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber"));
        Assert.Equal(["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber"], result.RedactedPaths);
        Assert.Equal("[Redact]", preview.Entries.Single(e => e.Redacted).DisplayValue);
    }

    [Fact]
    public void An_expression_that_fails_for_one_object_fails_that_object_with_a_reason_and_does_not_throw()
    {
        var mappings = Compile(AttributeMapping.FromExpression("Item([proxyAddresses], 0)", "nickName"));

        var result = Map(mappings);

        Assert.False(result.Succeeded);
        Assert.Contains("mapping to 'nickName' from Item([proxyAddresses], 0) failed: Item: index is 1-based", result.FailureReason, StringComparison.Ordinal);
        Assert.Equal("adele.vance@contoso.com", Value(result, "userName"));
    }

    [Fact]
    public void Several_values_for_a_single_valued_target_fail_the_object_with_advice()
    {
        var result = Map(Compile(AttributeMapping.Direct("proxyAddresses", "nickName")));

        var failure = Assert.Single(result.Failures);
        Assert.Contains("produced 2 values but 'nickName' holds one value", failure.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_multi_valued_source_with_one_value_fills_a_single_valued_target()
    {
        var result = Map(Compile(AttributeMapping.Direct("businessPhones", "phoneNumbers[type eq \"work\"].value")), Adele.Replace("\"accountEnabled\"", "\"businessPhones\":[\"+1 425 555 0100\"],\"accountEnabled\"", StringComparison.Ordinal));

        Assert.Equal("+1 425 555 0100", Value(result, "phoneNumbers[type eq \"work\"].value"));
    }

    [Fact]
    public void Multi_valued_results_go_to_multi_valued_targets_as_arrays()
    {
        var result = Map(Compile(AttributeMapping.FromExpression("Split(\"a,b\", \",\")", "urn:example:params:scim:schemas:extension:custom:2.0:User:tags")));

        Assert.Equal("[\"a\",\"b\"]", Value(result, "urn:example:params:scim:schemas:extension:custom:2.0:User:tags"));
    }

    [Fact]
    public void Boolean_targets_receive_JSON_Booleans_and_reject_other_text()
    {
        var sent = Map(Compile(AttributeMapping.FromExpression("IIF([department]=\"Engineering\", \"False\", \"True\")", "active")));
        var rejected = Map(Compile(AttributeMapping.FromExpression("[department]", "active")));

        Assert.Equal(JsonValueKind.False, sent.Attributes["active"]!.Value.ValueKind);
        Assert.Contains("'active' is a Boolean attribute", Assert.Single(rejected.Failures).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Dates_are_sent_as_SCIM_date_times_in_UTC()
    {
        var result = Map(Compile(AttributeMapping.FromExpression("DateAdd(\"d\", 30, Now())", "urn:example:params:scim:schemas:extension:custom:2.0:User:expires")));

        Assert.Equal("2026-03-31T10:00:00Z", Value(result, "urn:example:params:scim:schemas:extension:custom:2.0:User:expires"));
    }

    [Fact]
    public void Matching_values_come_in_precedence_order_even_on_update_for_onCreate_mappings()
    {
        var mappings = Compile(AttributeMapping.Direct("id", "externalId").AsMatching(2) with { Apply = MappingApply.OnCreate });

        var result = Map(mappings, isCreate: false);

        Assert.Equal([(1, "userName", "adele.vance@contoso.com"), (2, "externalId", "97a8ce9a-db72-5cf3-8690-43c038a08250")],
            result.Matching.Select(m => (m.Precedence, m.Target, m.Value.GetString()!)));
        Assert.Null(result.Attributes["externalId"]);
        Assert.True(result.HasMatchingValue);
    }

    [Fact]
    public void An_object_without_any_matching_value_says_so()
    {
        var result = Map(Compile(), """{"givenName":"Nobody","IsSoftDeleted":false}""");

        Assert.False(result.HasMatchingValue);
    }

    [Fact]
    public void The_source_attributes_the_mappings_read_give_the_Graph_select()
    {
        var mappings = Compile(AttributeMapping.FromExpression("Join(\" \", [givenName], [extension_abc_costCenter])", "nickName"));

        Assert.Equal(
            ["department", "displayName", "extension_abc_costCenter", "givenName", "id", "jobTitle", "mail", "surname", "userPrincipalName"],
            mappings.Users.GraphSelect);
        Assert.Contains("IsSoftDeleted", mappings.Users.SourceAttributes);
        Assert.Equal(["displayName", "id"], mappings.Groups.GraphSelect);
    }

    [Fact]
    public void The_preview_explains_each_target_with_its_mapping_and_outcome()
    {
        var mappings = Compile(
            AttributeMapping.Direct("mobilePhone", "phoneNumbers[type eq \"mobile\"].value"),
            AttributeMapping.FromConstant("Staff", "userType") with { Apply = MappingApply.OnCreate });

        var preview = new MappingEngine(Clock()).Preview(User(Adele), mappings, isCreate: false);

        var email = preview.Entries.Single(e => e.Target == "emails[type eq \"work\"].value");
        Assert.Equal((MappingKind.Expression, "Coalesce([mail], [userPrincipalName])", MappingOutcome.Sent, "\"adele.vance@contoso.com\""),
            (email.Kind, email.Source, email.Outcome, email.DisplayValue));
        var userName = preview.Entries.Single(e => e.Target == "userName");
        Assert.True(userName.Matching);
        Assert.Equal(MappingOutcome.NotSent, preview.Entries.Single(e => e.Target.StartsWith("phoneNumbers", StringComparison.Ordinal)).Outcome);
        var userType = preview.Entries.Single(e => e.Target == "userType");
        Assert.Equal((MappingOutcome.SkippedOnUpdate, "\"Staff\""), (userType.Outcome, userType.Source));
        Assert.Equal(preview.Result.Attributes, Map(mappings, isCreate: false).Attributes);
    }
}
