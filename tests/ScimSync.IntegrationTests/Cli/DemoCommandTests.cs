namespace ScimSync.IntegrationTests.Cli;

public sealed class DemoCommandTests
{
    [Fact]
    public async Task The_demo_provisions_the_tenant_applies_the_changes_and_explains_what_it_skipped()
    {
        var run = await CliRun.InvokeAsync("demo", "--seed", ValidateCommandTests.SamplePath("samples/demo-directory.json"));

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Matches(@"User Create \(Success\)\s+│\s+[1-9][0-9,]*", run.Output);
        Assert.Contains("GroupRenameNotSupported", run.Output);
        Assert.Contains("InvalidDomain", run.Output);
        Assert.Contains("Ingrid Svensson", run.Output);
    }
}
