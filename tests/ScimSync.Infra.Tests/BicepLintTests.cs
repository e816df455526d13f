using ScimSync.Infra.Tests.Infrastructure;

namespace ScimSync.Infra.Tests;

// One Bicep process per check over every file: each start of the CLI costs seconds.
public sealed class BicepLintTests
{
    private static readonly string[] Files = Repository.BicepFiles().Select(f => Path.GetRelativePath(Repository.Infra, f)).ToArray();

    [Fact]
    public void The_infrastructure_has_a_main_template_and_its_modules()
    {
        Assert.Contains("main.bicep", Files);
        Assert.Contains(Path.Combine("app", "function-app.bicep"), Files);
    }

    [Fact]
    public void Every_bicep_file_builds_without_errors_or_warnings()
    {
        var output = Directory.CreateTempSubdirectory("scimsync-bicep-");
        try
        {
            var run = BicepCli.Run("build", "--pattern", "**/*.bicep", "--outdir", output.FullName);

            Assert.True(run.ExitCode == 0, $"bicep build exited {run.ExitCode}:\n{run.Errors}");
            Assert.Empty(run.Diagnostics);
            Assert.Equal(
                Files.Select(f => Path.GetFileNameWithoutExtension(f) + ".json").Order(StringComparer.Ordinal),
                output.EnumerateFiles("*.json", SearchOption.AllDirectories).Select(f => f.Name).Order(StringComparer.Ordinal));
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }

    [Fact]
    public void Every_bicep_file_lints_without_errors_or_warnings()
    {
        var run = BicepCli.Run("lint", "--pattern", "**/*.bicep");

        Assert.True(run.ExitCode == 0, $"bicep lint exited {run.ExitCode}:\n{run.Errors}");
        Assert.Empty(run.Diagnostics);
    }
}
