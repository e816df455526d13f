using System.Reflection;
using System.Text.Json.Nodes;

namespace ScimSync.Infra.Tests.Infrastructure;

/// <summary>Paths of the repository this test assembly was built from.</summary>
internal static class Repository
{
    public static string Root { get; } = Metadata("RepositoryRoot");

    public static string Infra { get; } = Path.Combine(Root, "infra");

    public static string BicepExecutable { get; } = Metadata("BicepExecutable");

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    public static JsonObject ReadJson(params string[] parts) =>
        JsonNode.Parse(File.ReadAllText(PathOf(parts)), documentOptions: new() { CommentHandling = System.Text.Json.JsonCommentHandling.Skip, AllowTrailingCommas = true })!.AsObject();

    public static IEnumerable<string> BicepFiles() =>
        System.IO.Directory.EnumerateFiles(Infra, "*.bicep", SearchOption.AllDirectories).Order(StringComparer.Ordinal);

    private static string Metadata(string key) =>
        typeof(Repository).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value
        ?? throw new InvalidOperationException($"The test assembly has no {key} metadata.");
}
