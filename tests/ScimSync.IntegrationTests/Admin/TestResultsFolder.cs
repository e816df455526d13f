namespace ScimSync.IntegrationTests.Admin;

/// <summary>
/// Where tests leave files for people to look at (screenshots): <c>SCIMSYNC_TEST_RESULTS</c> when set (test.sh sets
/// it to the results directory it keeps), else <c>TestResults</c> at the repository root.
/// </summary>
public static class TestResultsFolder
{
    public static DirectoryInfo For(string name)
    {
        var root = Environment.GetEnvironmentVariable("SCIMSYNC_TEST_RESULTS") is { Length: > 0 } configured
            ? configured
            : Path.Combine(RepositoryRoot(), "TestResults");
        return new DirectoryInfo(Path.Combine(root, name));
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "functions.sln")))
            {
                return folder.FullName;
            }
        }

        return Directory.GetCurrentDirectory();
    }
}
