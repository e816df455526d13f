using System.Reflection;

namespace ScimSync.Functions.Tests.Hosting;

/// <summary>Files of the repository and of the Functions app's build output, found from the test's own location.</summary>
internal static class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    public static string HostJson => Path.Combine(Root, "host.json");

    public static string LocalSettingsSample => Path.Combine(Root, "local.settings.sample.json");

    /// <summary>The Functions app's output folder in the configuration this test was built in (Release in test.sh).</summary>
    public static string FunctionsOutput => Path.Combine(Root, "src", "ScimSync.Functions", "bin", Configuration, "net10.0");

    public static string Configuration { get; } =
        typeof(RepositoryFiles).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "functions.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No functions.sln above {AppContext.BaseDirectory}.");
    }
}
