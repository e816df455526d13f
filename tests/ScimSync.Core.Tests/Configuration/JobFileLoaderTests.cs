using Microsoft.Extensions.Configuration;
using ScimSync.Core.Configuration;
using ScimSync.Core.Mapping;
using ScimSync.Core.Scim.Profiles;

namespace ScimSync.Core.Tests.Configuration;

public sealed class JobFileLoaderTests
{
    private static JobFileLoader Loader(Dictionary<string, string?>? settings = null) =>
        new(new ScimProfileRegistry(), new MappingValidator(),
            new ConfigurationBuilder().AddInMemoryCollection(settings ?? []).Build());

    private const string ValidJob = """
        {
          "jobs": [{
            "id": "atlassian",
            "source": { "credential": "ManagedIdentity" },
            "target": { "profile": "atlassian-cloud", "baseUrl": "https://api.atlassian.com/scim/directory/abc",
                        "tokenSetting": "AtlassianScimToken", "verifiedDomains": ["contoso.com"] },
            "scope": { "mode": "assigned", "servicePrincipalId": "11111111-1111-1111-1111-111111111111" }
          }]
        }
        """;

    [Fact]
    public void The_shipped_sample_job_file_is_valid()
    {
        var sample = Path.Combine(RepositoryRoot(), "samples", "jobs", "atlassian-cloud.json");

        var catalog = Loader().Load(sample);

        var job = Assert.Single(catalog.Jobs);
        Assert.Equal("atlassian", job.Id.Value);
        Assert.Equal("atlassian-cloud", job.Profile.Name);
    }

    [Fact]
    public void A_valid_job_gets_the_profile_and_the_policy_defaults()
    {
        var job = Assert.Single(Loader().Parse(ValidJob, "jobs.json").Jobs);

        Assert.Equal(TimeSpan.FromMinutes(5), job.Definition.Policy.Interval);
        Assert.Equal(500, job.Definition.Policy.DeletionThreshold);
        Assert.Equal(DeprovisionMode.Disable, job.Definition.Policy.Deprovision);
        Assert.Equal("jobs[0]", job.SettingPath);
    }

    [Fact]
    public void Every_problem_is_reported_at_once_with_its_setting_path()
    {
        var json = ValidJob
            .Replace("https://api.atlassian.com/scim/directory/abc", "http://scim.example.com/", StringComparison.Ordinal)
            .Replace("\"mode\": \"assigned\"", "\"mode\": \"groups\"", StringComparison.Ordinal);

        var error = Assert.Throws<JobConfigurationException>(() => Loader().Parse(json, "jobs.json"));

        Assert.Contains(error.Errors, e => e.StartsWith("jobs[0].target.baseUrl:", StringComparison.Ordinal));
        Assert.Contains(error.Errors, e => e.StartsWith("jobs[0].scope.groupIds:", StringComparison.Ordinal));
        Assert.Contains("jobs.json", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Category", "Reliability")]
    public void A_misspelled_setting_is_refused_with_its_path()
    {
        var json = ValidJob.Replace("\"tokenSetting\"", "\"tokenSettings\"", StringComparison.Ordinal);

        var error = Assert.Throws<JobConfigurationException>(() => Loader().Parse(json, "jobs.json"));

        Assert.Contains("tokenSettings", Assert.Single(error.Errors), StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Category", "Reliability")]
    public void An_unknown_setting_is_named_with_the_settings_allowed_where_it_stands()
    {
        var json = ValidJob.Replace("\"scope\":", "\"policy\": { \"maxConcurency\": 4 },\n            \"scope\":", StringComparison.Ordinal);

        var error = Assert.Throws<JobConfigurationException>(() => Loader().Parse(json, "jobs.json"));

        var problem = Assert.Single(error.Errors);
        Assert.StartsWith("jobs[0].policy.maxConcurency (line 7, position ", problem, StringComparison.Ordinal);
        Assert.Contains("'maxConcurency' is not a setting here; did you mean 'maxConcurrency'? The settings here are interval, deprovision,", problem, StringComparison.Ordinal);
        Assert.DoesNotContain("JobPolicy", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"maxConcurrency\": \"lots\"", "jobs[0].policy.maxConcurrency", "expected a whole number.")]
    [InlineData("\"interval\": \"5 minutes\"", "jobs[0].policy.interval", "expected a duration in double quotes, hours:minutes:seconds, e.g. \"00:05:00\".")]
    [InlineData("\"deprovision\": \"Nuke\"", "jobs[0].policy.deprovision", "expected one of Disable, DeleteWhenHardDeleted, None.")]
    [InlineData("\"provisionGroups\": \"yes\"", "jobs[0].policy.provisionGroups", "expected true or false.")]
    [Trait("Category", "Reliability")]
    public void A_value_of_the_wrong_kind_says_what_the_setting_takes(string setting, string path, string expected)
    {
        var json = ValidJob.Replace("\"scope\":", $"\"policy\": {{ {setting} }},\n            \"scope\":", StringComparison.Ordinal);

        var error = Assert.Throws<JobConfigurationException>(() => Loader().Parse(json, "jobs.json"));

        var problem = Assert.Single(error.Errors);
        Assert.StartsWith(path + " (line 7, position ", problem, StringComparison.Ordinal);
        Assert.EndsWith(expected, problem, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Category", "Reliability")]
    public void A_mapping_error_names_the_job_and_the_mapping()
    {
        var json = ValidJob.Replace(
            "\"scope\"",
            """" "mappings": { "users": [ { "target": "title", "kind": "expression", "expression": "Coalesc([jobTitle], \"x\")" } ] }, "scope" """",
            StringComparison.Ordinal);

        var error = Assert.Throws<JobConfigurationException>(() => Loader().Parse(json, "jobs.json"));

        var message = Assert.Single(error.Errors);
        Assert.Contains("jobs[0].mappings.users[0]", message, StringComparison.Ordinal);
        Assert.Contains("Coalesce", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Duplicate_job_ids_are_refused()
    {
        var json = ValidJob.Replace("\"jobs\": [{", "\"jobs\": [{ \"id\": \"atlassian\", \"target\": {}, \"scope\": {\"mode\":\"all\"} }, {", StringComparison.Ordinal);

        var error = Assert.Throws<JobConfigurationException>(() => Loader().Parse(json, "jobs.json"));

        Assert.Contains(error.Errors, e => e.StartsWith("jobs[1].id:", StringComparison.Ordinal) && e.Contains("unique", StringComparison.Ordinal));
    }

    [Fact]
    [Trait("Category", "Reliability")]
    public void A_client_secret_written_in_the_file_is_refused()
    {
        var json = ValidJob.Replace("\"credential\": \"ManagedIdentity\"", "\"credential\": \"ClientSecret\", \"clientSecret\": \"s3cret\"", StringComparison.Ordinal);

        var error = Assert.Throws<JobConfigurationException>(() => Loader().Parse(json, "jobs.json"));

        Assert.Contains(error.Errors, e => e.StartsWith("jobs[0].source.clientSecret:", StringComparison.Ordinal) && e.Contains("app setting", StringComparison.Ordinal));
    }

    [Fact]
    public void A_client_secret_comes_from_the_named_app_setting()
    {
        var json = ValidJob.Replace(
            "\"source\": { \"credential\": \"ManagedIdentity\" }",
            """" "source": { "credential": "ClientSecret", "tenantId": "22222222-2222-2222-2222-222222222222", "clientId": "33333333-3333-3333-3333-333333333333" }, "sourceClientSecretSetting": "GraphSecret" """",
            StringComparison.Ordinal);

        var job = Assert.Single(Loader(new() { ["GraphSecret"] = "from-settings" }).Parse(json, "jobs.json").Jobs);

        Assert.Equal("from-settings", job.Definition.Source.ClientSecret);
    }

    [Fact]
    public void A_missing_file_says_where_it_was_looked_for()
    {
        var error = Assert.Throws<JobConfigurationException>(() => Loader().Load("no-such-jobs.json"));

        Assert.Contains(Path.GetFullPath("no-such-jobs.json"), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Category", "Reliability")]
    public void A_key_that_differs_from_another_only_by_case_is_refused_instead_of_overriding_it()
    {
        var json = ValidJob.Replace("\"scope\":", "\"policy\": { \"deletionThreshold\": 10, \"DeletionThreshold\": 5000 },\n            \"scope\":", StringComparison.Ordinal);

        var error = Assert.Throws<JobConfigurationException>(() => Loader().Parse(json, "jobs.json"));

        var problem = Assert.Single(error.Errors);
        Assert.StartsWith("jobs[0].policy.DeletionThreshold: the key differs from 'deletionThreshold' only by case", problem, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Category", "Reliability")]
    public void A_key_given_twice_in_one_object_is_refused()
    {
        var json = ValidJob.Replace("\"id\": \"atlassian\",", "\"id\": \"atlassian\", \"id\": \"other\",", StringComparison.Ordinal);

        var error = Assert.Throws<JobConfigurationException>(() => Loader().Parse(json, "jobs.json"));

        Assert.StartsWith("jobs[0].id: the key appears twice", Assert.Single(error.Errors), StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Category", "Reliability")]
    public void A_target_url_with_a_user_name_and_password_is_refused_without_echoing_them()
    {
        var json = ValidJob.Replace("https://api.atlassian.com/", "https://admin:s3cret@api.atlassian.com/", StringComparison.Ordinal);

        var error = Assert.Throws<JobConfigurationException>(() => Loader().Parse(json, "jobs.json"));

        var problem = Assert.Single(error.Errors);
        Assert.StartsWith("jobs[0].target.baseUrl: must not carry a user name or password", problem, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", error.Message, StringComparison.Ordinal);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "functions.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("functions.sln not found above the test binaries.");
    }
}
