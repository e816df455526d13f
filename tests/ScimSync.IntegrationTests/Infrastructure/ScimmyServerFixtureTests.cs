using System.Text;
using ScimSync.Emulators.Azurite;

namespace ScimSync.IntegrationTests.Infrastructure;

public sealed class ScimmyServerFixtureTests
{
    [Fact]
    public async Task Missing_Nodejs_fails_with_what_to_install()
    {
        var nowhere = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"), "node");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            ScimmyServerFixture.StartAsync(nowhere, NodeTooling.FindNodeModules(), "t", new StringBuilder(), TimeSpan.FromSeconds(5)));

        Assert.Contains("install Node.js 20 or later", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Node_modules_without_scimmy_fail_with_the_command_that_fixes_it()
    {
        var empty = Directory.CreateTempSubdirectory("no-scimmy-");
        try
        {
            var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
                ScimmyServerFixture.StartAsync(NodeTooling.FindNode(), empty.FullName, "t", new StringBuilder(), TimeSpan.FromSeconds(5)));

            Assert.Contains("npm ci", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            empty.Delete();
        }
    }
}
