using ScimSync.Emulators.Azurite;

namespace ScimSync.IntegrationTests.Infrastructure;

public sealed class NodeToolingTests
{
    [Fact]
    public void Missing_node_modules_fails_with_the_command_that_fixes_it()
    {
        var empty = Directory.CreateTempSubdirectory("no-node-modules-");
        try
        {
            var error = Assert.Throws<InvalidOperationException>(() => NodeTooling.FindNodeModules(empty.FullName));
            Assert.Contains("npm ci", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            empty.Delete();
        }
    }
}
