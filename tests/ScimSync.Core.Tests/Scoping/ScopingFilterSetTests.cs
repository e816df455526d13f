using System.Text.Json;
using ScimSync.Core.Directory;
using ScimSync.Core.Identity;
using ScimSync.Core.Scoping;

namespace ScimSync.Core.Tests.Scoping;

public sealed class ScopingFilterSetTests
{
    private static SourceObject User(string json) =>
        SourceObject.Create(new SourceId("u1"), ObjectKind.User, JsonDocument.Parse(json).RootElement.EnumerateObject()
            .Select(p => KeyValuePair.Create(p.Name, p.Value.Clone())));

    private static ScopingFilterSet Filter(string attribute, string op, string? value = null) =>
        ScopingFilterSet.Compile([new ScopingFilterDefinition { Clauses = [new() { Attribute = attribute, Operator = op, Value = value }] }], "scope.filters");

    private static bool Passes(string json, string attribute, string op, string? value = null) =>
        Filter(attribute, op, value).Evaluate(User(json)).InScope;

    [Theory]
    [InlineData("""{"department":"Sales"}""", true)]
    [InlineData("""{"department":"sales"}""", false)]
    [InlineData("""{"department":"Sales "}""", false)]
    [InlineData("""{"department":null}""", false)]
    [InlineData("""{}""", false)]
    public void EQUALS_is_an_exact_case_sensitive_match_and_false_on_null(string json, bool expected) =>
        Assert.Equal(expected, Passes(json, "department", "EQUALS", "Sales"));

    [Theory]
    [InlineData("""{"department":"Marketing"}""", true)]
    [InlineData("""{"department":"sales"}""", true)]
    [InlineData("""{"department":"Sales"}""", false)]
    [InlineData("""{"department":null}""", false)]
    [InlineData("""{"department":""}""", false)]
    public void NOT_EQUALS_is_case_sensitive_and_false_on_null_or_empty(string json, bool expected) =>
        Assert.Equal(expected, Passes(json, "department", "NOT EQUALS", "Sales"));

    [Theory]
    [InlineData("""{"accountEnabled":true}""", "IS TRUE", true)]
    [InlineData("""{"accountEnabled":false}""", "IS TRUE", false)]
    [InlineData("""{"accountEnabled":"True"}""", "IS TRUE", true)]
    [InlineData("""{"accountEnabled":false}""", "IS FALSE", true)]
    [InlineData("""{"accountEnabled":true}""", "IS FALSE", false)]
    [InlineData("""{"accountEnabled":null}""", "IS FALSE", false)]
    [InlineData("""{}""", "IS TRUE", false)]
    [InlineData("""{"accountEnabled":"yes"}""", "IS TRUE", false)]
    public void IS_TRUE_and_IS_FALSE_test_a_boolean_and_are_false_on_null(string json, string op, bool expected) =>
        Assert.Equal(expected, Passes(json, "accountEnabled", op));

    [Theory]
    [InlineData("""{"mail":null}""", "IS NULL", true)]
    [InlineData("""{}""", "IS NULL", true)]
    [InlineData("""{"mail":""}""", "IS NULL", true)]
    [InlineData("""{"mail":"a@contoso.com"}""", "IS NULL", false)]
    [InlineData("""{"mail":null}""", "IS NOT NULL", false)]
    [InlineData("""{"mail":""}""", "IS NOT NULL", false)]
    [InlineData("""{"mail":"a@contoso.com"}""", "IS NOT NULL", true)]
    public void IS_NULL_treats_absent_null_and_empty_alike(string json, string op, bool expected) =>
        Assert.Equal(expected, Passes(json, "mail", op));

    [Theory]
    [InlineData("""{"userPrincipalName":"adele@contoso.com"}""", "REGEX MATCH", true)]
    [InlineData("""{"userPrincipalName":"adele@CONTOSO.com"}""", "REGEX MATCH", false)]
    [InlineData("""{"userPrincipalName":"adele@fabrikam.com"}""", "REGEX MATCH", false)]
    [InlineData("""{"userPrincipalName":null}""", "REGEX MATCH", false)]
    [InlineData("""{"userPrincipalName":"adele@fabrikam.com"}""", "NOT REGEX MATCH", true)]
    [InlineData("""{"userPrincipalName":"adele@contoso.com"}""", "NOT REGEX MATCH", false)]
    [InlineData("""{"userPrincipalName":null}""", "NOT REGEX MATCH", false)]
    [InlineData("""{"userPrincipalName":""}""", "NOT REGEX MATCH", false)]
    public void REGEX_MATCH_uses_a_dotnet_regex_and_NOT_REGEX_MATCH_is_false_on_null(string json, string op, bool expected) =>
        Assert.Equal(expected, Passes(json, "userPrincipalName", op, @".*\@contoso\.com"));

    [Theory]
    [InlineData("""{"employeeId":"1500"}""", "Greater_Than", true)]
    [InlineData("""{"employeeId":1000}""", "Greater_Than", false)]
    [InlineData("""{"employeeId":1000}""", "Greater_Than_OR_EQUALS", true)]
    [InlineData("""{"employeeId":"999"}""", "Greater_Than_OR_EQUALS", false)]
    [InlineData("""{"employeeId":"E1500"}""", "Greater_Than", false)]
    [InlineData("""{"employeeId":null}""", "Greater_Than_OR_EQUALS", false)]
    public void Greater_Than_needs_an_integer_attribute(string json, string op, bool expected) =>
        Assert.Equal(expected, Passes(json, "employeeId", op, "1000"));

    [Theory]
    [InlineData("""{"jobTitle":"Senior Engineer"}""", true)]
    [InlineData("""{"jobTitle":"senior engineer"}""", false)]
    [InlineData("""{"jobTitle":null}""", false)]
    public void Includes_is_a_case_sensitive_contains(string json, bool expected) =>
        Assert.Equal(expected, Passes(json, "jobTitle", "Includes", "Engineer"));

    [Theory]
    [InlineData("""{"userPrincipalName":"adele@contoso.com"}""", true)]
    [InlineData("""{"userPrincipalName":"adele@Contoso.com"}""", false)]
    [InlineData("""{"userPrincipalName":"adele@contoso.com.evil"}""", false)]
    [InlineData("""{"userPrincipalName":null}""", false)]
    public void ENDS_WITH_is_case_sensitive_and_false_on_null(string json, bool expected) =>
        Assert.Equal(expected, Passes(json, "userPrincipalName", "ENDS_WITH", "@contoso.com"));

    [Theory]
    [InlineData("""{"extension_1a2b3c_flags":6}""", "&", true)]
    [InlineData("""{"extension_1a2b3c_flags":"5"}""", "&", false)]
    [InlineData("""{"extension_1a2b3c_flags":4}""", "&", false)]
    [InlineData("""{"extension_1a2b3c_flags":null}""", "&", false)]
    [InlineData("""{"extension_1a2b3c_flags":4}""", "!&", true)]
    [InlineData("""{"extension_1a2b3c_flags":6}""", "!&", false)]
    [InlineData("""{"extension_1a2b3c_flags":null}""", "!&", false)]
    public void Bitwise_operators_test_that_the_value_bits_are_set(string json, string op, bool expected) =>
        Assert.Equal(expected, Passes(json, "extension_1a2b3c_flags", op, "2"));

    [Fact]
    public void A_multi_valued_attribute_never_matches() =>
        Assert.False(Passes("""{"otherMails":["a@contoso.com"]}""", "otherMails", "Includes", "contoso"));

    [Fact]
    public void Operator_names_are_read_with_either_spaces_or_underscores_in_any_case()
    {
        Assert.True(Passes("""{"department":"Sales"}""", "department", "equals", "Sales"));
        Assert.True(Passes("""{"department":"Sales"}""", "department", "not_equals", "Marketing"));
        Assert.True(Passes("""{"employeeId":"5"}""", "employeeId", "GREATER THAN", "4"));
    }

    [Fact]
    public void Clauses_are_ANDed_and_filters_ORed_and_the_decision_names_the_matching_filter()
    {
        var set = ScopingFilterSet.Compile(
        [
            new ScopingFilterDefinition
            {
                Name = "Sales in Contoso",
                Clauses =
                [
                    new() { Attribute = "department", Operator = "EQUALS", Value = "Sales" },
                    new() { Attribute = "userPrincipalName", Operator = "ENDS_WITH", Value = "@contoso.com" },
                ],
            },
            new ScopingFilterDefinition
            {
                Name = "Engineers",
                Clauses = [new() { Attribute = "jobTitle", Operator = "Includes", Value = "Engineer" }],
            },
        ], "jobs[0].scope.filters");

        var salesPartner = set.Evaluate(User("""{"department":"Sales","userPrincipalName":"x@fabrikam.com","jobTitle":"Rep"}"""));
        var engineer = set.Evaluate(User("""{"department":"Sales","userPrincipalName":"x@fabrikam.com","jobTitle":"Engineer"}"""));
        var salesContoso = set.Evaluate(User("""{"department":"Sales","userPrincipalName":"x@contoso.com"}"""));

        Assert.False(salesPartner.InScope);
        Assert.Equal(
            "no scoping filter matched: Sales in Contoso did not match: userPrincipalName ENDS_WITH \"@contoso.com\" (value \"x@fabrikam.com\"): false; " +
            "Engineers did not match: jobTitle Includes \"Engineer\" (value \"Rep\"): false",
            salesPartner.Explanation);
        Assert.Equal("Engineers", engineer.MatchedFilter?.Name);
        Assert.Equal("jobs[0].scope.filters[0]", salesContoso.MatchedFilter?.Path);
        Assert.Equal("jobs[0].scope.filters[0].clauses[1]", salesContoso.MatchedFilter?.Clauses[1].Path);
    }

    [Fact]
    public void Filters_apply_only_to_their_object_kind()
    {
        var set = ScopingFilterSet.Compile(
            [new ScopingFilterDefinition { AppliesTo = ObjectKind.Group, Clauses = [new() { Attribute = "displayName", Operator = "Includes", Value = "App" }] }],
            "scope.filters");

        Assert.True(set.Evaluate(User("""{"displayName":"Adele"}""")).InScope);
        var group = SourceObject.Create(new SourceId("g1"), ObjectKind.Group, [KeyValuePair.Create("displayName", JsonSerializer.SerializeToElement("Sales"))]);
        Assert.False(set.Evaluate(group).InScope);
    }

    [Fact]
    public void An_invalid_regex_fails_validation_naming_the_job_filter_and_clause()
    {
        var scope = new ScopeDefinition
        {
            Mode = ScopeMode.All,
            Filters =
            [
                new() { Clauses = [new() { Attribute = "department", Operator = "EQUALS", Value = "Sales" }] },
                new() { Clauses = [new() { Attribute = "mail", Operator = "REGEX MATCH", Value = "(unclosed" }] },
            ],
        };

        var error = Assert.Single(scope.Validate("jobs[0].scope"));

        Assert.StartsWith("jobs[0].scope.filters[1].clauses[0]: invalid regex \"(unclosed\"", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validation_reports_every_bad_clause_with_its_path()
    {
        var errors = ScopingFilterSet.Validate(
        [
            new() { Clauses = [new() { Attribute = "department", Operator = "LIKE", Value = "S%" }] },
            new() { Clauses = [new() { Attribute = "employeeId", Operator = "Greater_Than", Value = "ten" }, new() { Attribute = "", Operator = "IS NULL" }] },
            new() { Clauses = [] },
            new() { Clauses = [new() { Attribute = "mail", Operator = "EQUALS" }] },
        ], "jobs[2].scope.filters");

        Assert.Collection(errors,
            e => Assert.StartsWith("jobs[2].scope.filters[0].clauses[0].operator: unknown operator \"LIKE\"", e, StringComparison.Ordinal),
            e => Assert.StartsWith("jobs[2].scope.filters[1].clauses[0].value: Greater_Than compares integers", e, StringComparison.Ordinal),
            e => Assert.StartsWith("jobs[2].scope.filters[1].clauses[1].attribute:", e, StringComparison.Ordinal),
            e => Assert.StartsWith("jobs[2].scope.filters[2].clauses: a filter needs at least one clause", e, StringComparison.Ordinal),
            e => Assert.StartsWith("jobs[2].scope.filters[3].clauses[0].value: the operator EQUALS needs a value", e, StringComparison.Ordinal));
    }

    [Fact]
    [Trait("Category", "Reliability")]
    public void A_misspelt_attribute_is_refused_with_the_name_meant_instead_of_failing_the_clause_for_everyone()
    {
        var errors = ScopingFilterSet.Validate(
        [
            new() { Clauses = [new() { Attribute = "departmant", Operator = "EQUALS", Value = "Sales" }] },
            new() { AppliesTo = ObjectKind.Group, Clauses = [new() { Attribute = "department", Operator = "EQUALS", Value = "Sales" }] },
            new() { Clauses = [new() { Attribute = "extension_1a2b3c_costCenter", Operator = "EQUALS", Value = "42" }] },
        ], "jobs[0].scope.filters");

        Assert.Collection(errors,
            e => Assert.Equal("jobs[0].scope.filters[0].clauses[0].attribute: 'departmant' is not a known user source attribute. Did you mean 'department'?", e),
            e => Assert.StartsWith("jobs[0].scope.filters[1].clauses[0].attribute: 'department' is not a known group source attribute.", e, StringComparison.Ordinal));
    }

    [Fact]
    [Trait("Category", "Reliability")]
    public void A_regex_that_runs_too_long_stops_evaluation_instead_of_deciding_out_of_scope()
    {
        var set = ScopingFilterSet.Compile(
            [new ScopingFilterDefinition { Clauses = [new() { Attribute = "displayName", Operator = "REGEX MATCH", Value = "^(a+)+$" }] }],
            "jobs[0].scope.filters", TimeSpan.FromMilliseconds(1));

        var ex = Assert.Throws<ScopeEvaluationException>(() => set.Evaluate(User($$"""{"displayName":"{{new string('a', 5000)}}!"}""")));

        Assert.StartsWith("jobs[0].scope.filters[0].clauses[0]: the regex", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_scope_definition_binds_from_job_file_json()
    {
        var scope = JsonSerializer.Deserialize(
            """
            {"mode":"groups","groupIds":["6c2c0b5e-0000-4000-8000-000000000001"],"flattenNestedGroups":true,
             "filters":[{"name":"Sales","appliesTo":"user","clauses":[{"attribute":"department","operator":"EQUALS","value":"Sales"}]}]}
            """,
            ScopingJsonContext.Default.ScopeDefinition)!;

        Assert.Empty(scope.Validate("jobs[0].scope"));
        Assert.Equal(ScopeMode.Groups, scope.Mode);
        Assert.True(scope.FlattenNestedGroups);
        Assert.Equal("EQUALS", scope.Filters[0].Clauses[0].Operator);
    }

    [Fact]
    public void The_assigned_mode_needs_a_service_principal_id() =>
        Assert.Equal(
            ["jobs[0].scope.servicePrincipalId: the assigned mode needs the object id (a GUID) of the enterprise app's service principal"],
            new ScopeDefinition().Validate("jobs[0].scope"));
}
