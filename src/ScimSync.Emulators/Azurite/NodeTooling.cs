namespace ScimSync.Emulators.Azurite;

/// <summary>Finds Node.js and the repository's node_modules, with errors that say how to fix what is missing.</summary>
public static class NodeTooling
{
    public static string FindNode()
    {
        var names = OperatingSystem.IsWindows() ? new[] { "node.exe" } : new[] { "node" };
        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (var name in names)
            {
                var candidate = Path.Combine(dir, name);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        throw new InvalidOperationException(
            "Node.js was not found on PATH. Azurite and the scimmy test server run on Node.js: install Node.js 20 or later, then run 'npm ci' in the repository root.");
    }

    /// <summary>The node_modules folder nearest to <paramref name="startDirectory"/> or its parents.</summary>
    public static string FindNodeModules(string? startDirectory = null)
    {
        for (var dir = new DirectoryInfo(startDirectory ?? AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "node_modules");
            if (Directory.Exists(Path.Combine(candidate, "azurite")))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException(
            $"No node_modules with azurite was found above '{startDirectory ?? AppContext.BaseDirectory}'. Run 'npm ci' in the repository root.");
    }
}
