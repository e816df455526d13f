namespace ScimSync.IntegrationTests.Cli;

public sealed class ValidateCommandTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("scimsync-cli-");

    [Fact]
    public async Task A_valid_job_file_exits_0_and_lists_its_jobs()
    {
        var run = await CliRun.InvokeAsync("validate", "--jobs", SamplePath("samples/jobs/atlassian-cloud.json"));

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("is valid", run.Output);
        Assert.Contains("atlassian", run.Output);
    }

    [Fact]
    [Trait("Category", "Reliability")]
    public async Task An_invalid_job_file_exits_2_and_names_each_setting_path()
    {
        var file = Path.Combine(_folder.FullName, "jobs.json");
        await File.WriteAllTextAsync(file, """
            { "jobs": [ { "id": "bad id", "target": { "baseUrl": "http://scim.example.com", "tokenSetting": "T", "verifiedDomains": ["example.com"] },
                          "scope": { "mode": "all" } } ] }
            """);

        var run = await CliRun.InvokeAsync("validate", "--jobs", file);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("jobs[0].id:", run.Output);
        Assert.Contains("jobs[0].target.baseUrl:", run.Output);
    }

    [Fact]
    public async Task A_missing_job_file_exits_2_with_its_full_path()
    {
        var missing = Path.Combine(_folder.FullName, "nowhere.json");

        var run = await CliRun.InvokeAsync("validate", "--jobs", missing);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(missing, run.Output);
    }

    [Fact]
    public async Task An_unknown_command_exits_2_and_points_to_help()
    {
        var run = await CliRun.InvokeAsync("synchronise-everything");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("synchronise-everything", run.Output);
        Assert.Contains("--help", run.Output);
    }

    [Fact]
    public async Task Help_lists_the_exit_codes()
    {
        var run = await CliRun.InvokeAsync("--help");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("3 a job is quarantined", run.Output);
    }

    public void Dispose() => _folder.Delete(recursive: true);

    internal static string SamplePath(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, relative);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"'{relative}' was not found above the test folder.");
    }
}
