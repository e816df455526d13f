namespace ScimSync.IntegrationTests.Emulators.Graph;

/// <summary>Finds samples/demo-directory.json from the test's output folder.</summary>
internal static class DemoDirectory
{
    public static string Path
    {
        get
        {
            for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            {
                var candidate = System.IO.Path.Combine(folder.FullName, "samples", "demo-directory.json");
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }

            throw new FileNotFoundException("samples/demo-directory.json was not found above " + AppContext.BaseDirectory);
        }
    }
}
