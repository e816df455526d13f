namespace ScimSync.IntegrationTests.Cli;

[Collection(CliCollection.Name)]
public sealed class RunAdminServerTests(CliFixture fixture)
{
    [Fact]
    [Trait("Category", "Reliability")]
    public async Task Run_refuses_to_serve_the_admin_api_without_a_key()
    {
        var run = await CliRun.InvokeAsync(fixture.Args("run", "--admin-url", "http://127.0.0.1:7280")).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.True(run.ExitCode == 2, run.Output);
        Assert.Contains("ScimSync:Admin:Key must be set when the admin API is served", run.Output);
    }

    [Fact]
    [Trait("Category", "Reliability")]
    public async Task Run_refuses_an_admin_url_that_is_not_loopback()
    {
        var run = await CliRun.InvokeAsync(fixture.Args("run", "--admin-url", "http://0.0.0.0:7280", "--settings", KeySettings())).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.True(run.ExitCode == 2, run.Output);
        Assert.Contains("ScimSync:Admin:Url must be a loopback address", run.Output);
    }

    private string KeySettings()
    {
        var path = Path.Combine(Path.GetDirectoryName(fixture.SettingsFile)!, "admin-key.json");
        File.WriteAllText(path, """{ "ScimSync": { "Admin": { "Key": "a-long-admin-key-of-32-characters" } } }""");
        return path;
    }
}
