using System.Text.Json.Nodes;
using ScimSync.IntegrationTests.Cli;

namespace ScimSync.IntegrationTests.Reliability;

/// <summary>
/// A job file an admin got wrong is refused by <c>scimsync validate</c> (and by every other command before it does
/// anything) with exit code 2 and an error that names the setting or the expression, in the file's own words.
/// </summary>
[Trait("Category", "Reliability")]
public sealed class JobFileValidationTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("scimsync-validate-");

    public static TheoryData<string, string, string[]> BadFiles => new()
    {
        {
            "a missing comma", """{ "jobs": [ { "id": "hr" "source": {} } ] }""",
            ["jobs[0] (line 1, position 26): '\"' is invalid after a value"]
        },
        {
            "a file cut short", """{ "jobs": [ { "id": "hr", "source": { "credential": "ManagedIdentity" """,
            ["jobs[0].source (line 1, position 71): the file ends before every { and [ in it is closed."]
        },
        {
            "an empty file", string.Empty,
            ["(top level) (line 1, position 1): the file is empty; a job file is a JSON object with a \"jobs\" list."]
        },
        {
            "YAML instead of JSON", "jobs:\n  - id: hr\n",
            ["(top level) (line 1, position 1): 'j' is an invalid start of a value"]
        },
        {
            "an unknown key at the top", Job(job => { }).Replace("{\"jobs\"", "{\"jobz\": [], \"jobs\"", StringComparison.Ordinal),
            ["jobz (line 1, position 9): 'jobz' is not a setting here; did you mean 'jobs'?"]
        },
        {
            "a misspelt target key", Job(job => job["target"]!["tokenSettting"] = "T"),
            ["jobs[0].target.tokenSettting", "'tokenSettting' is not a setting here; did you mean 'tokenSetting'? The settings here are baseUrl, profile, tokenSetting,"]
        },
        {
            "an unknown job key", Job(job => job["schedule"] = "hourly"),
            ["jobs[0].schedule", "'schedule' is not a setting here. The settings here are id, displayName, source, sourceClientSecretSetting, target, scope, mappings, policy."]
        },
        {
            "an unknown mapping key", Job(job => job["mappings"] = new JsonObject { ["users"] = new JsonArray(new JsonObject { ["target"] = "title", ["sourse"] = "jobTitle" }) }),
            ["jobs[0].mappings.users[0].sourse", "did you mean 'source'?"]
        },
        {
            "text where a number goes", Job(job => job["policy"] = new JsonObject { ["maxConcurrency"] = "lots" }),
            ["jobs[0].policy.maxConcurrency", "expected a whole number."]
        },
        {
            "an unknown deprovision mode", Job(job => job["policy"] = new JsonObject { ["deprovision"] = "Nuke" }),
            ["jobs[0].policy.deprovision", "expected one of Disable, DeleteWhenHardDeleted, None."]
        },
        {
            "an unknown mapping kind", Job(job => job["mappings"] = new JsonObject { ["users"] = new JsonArray(new JsonObject { ["target"] = "title", ["kind"] = "formula", ["source"] = "jobTitle" }) }),
            ["jobs[0].mappings.users[0].kind", "expected one of Direct, Constant, Expression."]
        },
        {
            "an unknown function", Job(job => job["mappings"] = Expression("Coalese([jobTitle], \"Staff\")")),
            ["jobs[0].mappings.users[0].expression: job 'hr', mapping 'title', position 1: unknown function 'Coalese'. Did you mean 'Coalesce'?"]
        },
        {
            "a call not closed", Job(job => job["mappings"] = Expression("Join(\" \", [givenName], [surname]")),
            ["jobs[0].mappings.users[0].expression: job 'hr', mapping 'title', position 1: the call to Join is not closed."]
        },
        {
            "a text not closed", Job(job => job["mappings"] = Expression("Join(\" , [givenName])")),
            ["jobs[0].mappings.users[0].expression: job 'hr', mapping 'title', position 6: the text literal is not closed."]
        },
        {
            "a misspelt source attribute", Job(job => job["mappings"] = Expression("Coalesce([jobTitel], \"Staff\")")),
            ["jobs[0].mappings.users[0].expression: job 'hr', mapping 'title'", "'jobTitel' is not a known user source attribute. Did you mean 'jobTitle'?"]
        },
        {
            "a target path that is not SCIM", Job(job => job["mappings"] = new JsonObject { ["users"] = new JsonArray(new JsonObject { ["target"] = "emails[type eq work].value", ["source"] = "mail" }) }),
            ["jobs[0].mappings.users[0].target: job 'hr', mapping 'emails[type eq work].value': 'emails[type eq work].value' is not a valid SCIM attribute path"]
        },
        {
            "a scoping regex that does not compile", Job(job => job["scope"]!["filters"] = Filter("department", "REGEX MATCH", "(unclosed")),
            ["jobs[0].scope.filters[0].clauses[0]: invalid regex \"(unclosed\""]
        },
        {
            "an unknown scoping operator", Job(job => job["scope"]!["filters"] = Filter("department", "LIKE", "Sales%")),
            ["jobs[0].scope.filters[0].clauses[0].operator: unknown operator \"LIKE\""]
        },
        {
            "a misspelt scoping attribute", Job(job => job["scope"]!["filters"] = Filter("departmant", "EQUALS", "Sales")),
            ["jobs[0].scope.filters[0].clauses[0].attribute: 'departmant' is not a known user source attribute. Did you mean 'department'?"]
        },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public async Task A_bad_job_file_is_refused_by_validate_with_an_error_naming_the_setting(string problem, string json, string[] expected)
    {
        var file = Path.Combine(_folder.FullName, "jobs.json");
        await File.WriteAllTextAsync(file, json);

        var run = await CliRun.InvokeAsync("validate", "--jobs", file);

        Assert.True(run.ExitCode == 2, $"{problem}: exit code {run.ExitCode}\n{run.Output}");
        Assert.Contains($"The job file '{file}' is invalid:", run.Output, StringComparison.Ordinal);
        foreach (var text in expected)
        {
            Assert.True(run.Output.Contains(text, StringComparison.Ordinal), $"{problem}: expected \"{text}\" in\n{run.Output}");
        }

        Assert.DoesNotContain("ScimSync.Core", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(".NET", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_job_file_stops_sync_and_plan_before_they_read_or_write_anything()
    {
        var file = Path.Combine(_folder.FullName, "jobs.json");
        await File.WriteAllTextAsync(file, Job(job => job["target"]!["tokenSettting"] = "T"));

        var sync = await CliRun.InvokeAsync("sync", "--jobs", file);
        var plan = await CliRun.InvokeAsync("plan", "--jobs", file);

        Assert.Equal(2, sync.ExitCode);
        Assert.Contains("jobs[0].target.tokenSettting", sync.Output, StringComparison.Ordinal);
        Assert.Equal(2, plan.ExitCode);
        Assert.Contains("jobs[0].target.tokenSettting", plan.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("target", "https://scim.example.com/scim", null, null)]
    [InlineData("target", "http://scim.example.com/scim", false, "jobs[0].target.baseUrl: 'http://scim.example.com/scim' must use https (the bearer token would travel in clear text).")]
    [InlineData("target", "http://scim.example.com/scim", true, "jobs[0].target.baseUrl: 'http://scim.example.com/scim' uses http on a host that is not loopback; allowInsecureLoopback only permits")]
    [InlineData("target", "http://127.0.0.1.nip.io:8080/scim", true, "jobs[0].target.baseUrl: 'http://127.0.0.1.nip.io:8080/scim' uses http on a host that is not loopback")]
    [InlineData("target", "http://127.0.0.1:8080/scim", false, "jobs[0].target.baseUrl: 'http://127.0.0.1:8080/scim' must use https")]
    [InlineData("target", "http://127.0.0.1:8080/scim", true, null)]
    [InlineData("source", "http://graph.example.com/v1.0", null, "jobs[0].source.baseUrl: plain http is only allowed for a Graph emulator on loopback; use https")]
    [InlineData("source", "http://127.0.0.1:5005/v1.0", null, null)]
    [InlineData("authority", "http://login.microsoftonline.us", null, "jobs[0].source.authorityHost: \"http://login.microsoftonline.us\" is not an https URL")]
    public async Task Plain_http_is_refused_outside_loopback_test_mode(string setting, string url, bool? allowInsecureLoopback, string? expected)
    {
        var file = Path.Combine(_folder.FullName, "jobs.json");
        await File.WriteAllTextAsync(file, Job(job =>
        {
            if (setting == "authority")
            {
                job["source"]!["authorityHost"] = url;
                return;
            }

            job[setting]!["baseUrl"] = url;
            if (allowInsecureLoopback is { } allow)
            {
                job["target"]!["allowInsecureLoopback"] = allow;
            }
        }));

        var run = await CliRun.InvokeAsync("validate", "--jobs", file);

        if (expected is null)
        {
            Assert.True(run.ExitCode == 0, run.Output);
        }
        else
        {
            Assert.True(run.ExitCode == 2, run.Output);
            Assert.Contains(expected, run.Output, StringComparison.Ordinal);
        }
    }

    public void Dispose() => _folder.Delete(recursive: true);

    private static string Job(Action<JsonObject> change)
    {
        var job = new JsonObject
        {
            ["id"] = "hr",
            ["source"] = new JsonObject { ["credential"] = "ManagedIdentity" },
            ["target"] = new JsonObject
            {
                ["baseUrl"] = "https://api.atlassian.com/scim/directory/abc",
                ["tokenSetting"] = "AtlassianToken",
                ["verifiedDomains"] = new JsonArray("contoso.com"),
            },
            ["scope"] = new JsonObject { ["mode"] = "assigned", ["servicePrincipalId"] = "11111111-1111-1111-1111-111111111111" },
        };
        change(job);
        return new JsonObject { ["jobs"] = new JsonArray(job) }.ToJsonString();
    }

    private static JsonObject Expression(string expression) => new()
    {
        ["users"] = new JsonArray(new JsonObject { ["target"] = "title", ["kind"] = "expression", ["expression"] = expression }),
    };

    private static JsonArray Filter(string attribute, string op, string value) =>
        new(new JsonObject
        {
            ["name"] = "Sales",
            ["clauses"] = new JsonArray(new JsonObject { ["attribute"] = attribute, ["operator"] = op, ["value"] = value }),
        });
}
