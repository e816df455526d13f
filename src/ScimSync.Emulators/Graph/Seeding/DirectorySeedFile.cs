using System.Text.Json;

namespace ScimSync.Emulators.Graph.Seeding;

/// <summary>Reads and checks a demo directory file; every problem is reported with its JSON path.</summary>
public static class DirectorySeedFile
{
    public static DirectorySeed Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The directory seed file '{Path.GetFullPath(path)}' does not exist.", path);
        }

        return Parse(File.ReadAllText(path), path);
    }

    public static DirectorySeed Parse(string json, string source = "the directory seed")
    {
        ArgumentNullException.ThrowIfNull(json);
        DirectorySeed? seed;
        try
        {
            seed = JsonSerializer.Deserialize(json, GraphJsonContext.Default.DirectorySeed);
        }
        catch (JsonException error)
        {
            throw new InvalidDataException(
                $"{source} is not valid demo directory JSON at {error.Path ?? "$"} (line {error.LineNumber + 1}): {error.Message}", error);
        }

        if (seed is null)
        {
            throw new InvalidDataException($"{source} is empty; expected an object as described in docs/demo-directory.md.");
        }

        var problems = DirectorySeedValidator.Validate(seed);
        if (problems.Count > 0)
        {
            throw new InvalidDataException($"{source} is not a valid demo directory:{Environment.NewLine}  " +
                                           string.Join(Environment.NewLine + "  ", problems));
        }

        return seed;
    }
}
