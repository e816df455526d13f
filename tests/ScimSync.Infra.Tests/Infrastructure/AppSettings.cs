using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ScimSync.Core;

namespace ScimSync.Infra.Tests.Infrastructure;

/// <summary>The app settings each side declares, and the settings the app can read.</summary>
internal static partial class AppSettings
{
    /// <summary>The canonical list: the settings of a local run, from local.settings.sample.json.</summary>
    public static IReadOnlyDictionary<string, string> Sample { get; } =
        Repository.ReadJson("local.settings.sample.json")["Values"]!.AsObject()
            .ToDictionary(p => p.Key, p => p.Value!.GetValue<string>(), StringComparer.Ordinal);

    /// <summary>The settings the app reads that the job file the sample points to names (each job's <c>target.tokenSetting</c>).</summary>
    public static IReadOnlySet<string> SampleJobTokenSettings { get; } = ReadJobTokenSettings();

    /// <summary>The token settings azd passes to Bicep (main.parameters.json, <c>scimTokens</c>).</summary>
    public static IReadOnlySet<string> ParameterTokenSettings { get; } =
        Repository.ReadJson("infra", "main.parameters.json")["parameters"]!["scimTokens"]!["value"]!.AsObject()
            .Select(p => p.Key).ToHashSet(StringComparer.Ordinal);

    /// <summary>The settings the Function App gets in Azure: the keys of every settings object Bicep passes to the app, plus the token settings.</summary>
    public static IReadOnlySet<string> Bicep { get; } = ReadBicep();

    /// <summary>Every option section Core binds at start-up (a class with a section-path constant), by section path.</summary>
    public static IReadOnlyDictionary<string, Type> OptionSections { get; } =
        typeof(ScimSyncCoreServiceCollectionExtensions).Assembly.GetTypes()
            .Select(t => (Type: t, Section: SectionOf(t)))
            .Where(x => x.Section is not null)
            .ToDictionary(x => x.Section!, x => x.Type, StringComparer.OrdinalIgnoreCase);

    /// <summary>Every setting Core binds, as a configuration path (<c>ScimSync:Queue:ServiceBus:QueueName</c>).</summary>
    public static IReadOnlySet<string> OptionPaths { get; } =
        OptionSections.SelectMany(s => PathsOf(s.Key, s.Value))
            .Append(ScimSyncCoreServiceCollectionExtensions.JobsFileSetting)
            .ToHashSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>The app settings the Functions triggers bind by name: <c>%Name%</c> expressions and <c>Connection</c> names.</summary>
    public static IReadOnlySet<string> FunctionsBindingSettings { get; } = ReadFunctionsBindings();

    /// <summary>An app setting name as a configuration path: <c>A__B</c> is <c>A:B</c>.</summary>
    public static string PathOf(string setting) => setting.Replace("__", ":", StringComparison.Ordinal);

    /// <summary>
    /// Whether an <c>AzureFunctionsJobHost__a__b__c</c> override sets an option of a section host.json configures
    /// (<c>a:b</c>), so a misspelt section cannot pass for a host setting.
    /// </summary>
    public static bool IsHostJsonOverride(string setting)
    {
        const string prefix = "AzureFunctionsJobHost__";
        if (!setting.StartsWith(prefix, StringComparison.Ordinal))
        {
            return false;
        }

        JsonNode? node = Repository.ReadJson("host.json");
        var parts = setting[prefix.Length..].Split("__");
        foreach (var part in parts[..^1])
        {
            node = node is JsonObject o ? o.FirstOrDefault(p => string.Equals(p.Key, part, StringComparison.OrdinalIgnoreCase)).Value : null;
        }

        return parts.Length > 1 && node is JsonObject;
    }

    private static string? SectionOf(Type type)
    {
        var field = type.GetField("DefaultSectionPath", BindingFlags.Public | BindingFlags.Static)
                    ?? type.GetField("SectionName", BindingFlags.Public | BindingFlags.Static);
        return field is { IsLiteral: true } && field.FieldType == typeof(string) ? (string?)field.GetRawConstantValue() : null;
    }

    private static IEnumerable<string> PathsOf(string prefix, Type type)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
        {
            var path = $"{prefix}:{property.Name}";
            var valueType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (valueType.IsClass && valueType != typeof(string) && valueType != typeof(Uri) && valueType.Assembly == type.Assembly)
            {
                foreach (var inner in PathsOf(path, valueType))
                {
                    yield return inner;
                }
            }
            else
            {
                yield return path;
            }
        }
    }

    private static HashSet<string> ReadBicep()
    {
        var app = CompiledTemplate.MainTemplate.Single("Microsoft.Web/sites/config");
        var settings = CompiledTemplate.VariablesIn(app.Body["properties"]!.GetValue<string>())
            .Select(app.Variable)
            .OfType<JsonObject>()
            .SelectMany(o => o.Select(p => p.Key))
            .ToHashSet(StringComparer.Ordinal);
        Assert.NotEmpty(settings);
        settings.UnionWith(ParameterTokenSettings);
        return settings;
    }

    private static HashSet<string> ReadJobTokenSettings()
    {
        // The sample's relative path is resolved from the Functions project, where a local run starts.
        var jobsFile = Path.GetFullPath(Path.Combine(Repository.PathOf("src", "ScimSync.Functions"), Sample["ScimSync__JobsFile"]));
        var jobs = JsonNode.Parse(File.ReadAllText(jobsFile), documentOptions: new() { CommentHandling = System.Text.Json.JsonCommentHandling.Skip })!["jobs"]!.AsArray();
        return jobs.Select(j => j!["target"]!["tokenSetting"]!.GetValue<string>()).ToHashSet(StringComparer.Ordinal);
    }

    private static HashSet<string> ReadFunctionsBindings()
    {
        var settings = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in System.IO.Directory.EnumerateFiles(Repository.PathOf("src", "ScimSync.Functions"), "*.cs", SearchOption.AllDirectories)
                     .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                                 && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))
        {
            var source = File.ReadAllText(file);
            settings.UnionWith(BindingExpression().Matches(source).Select(m => m.Groups[1].Value.Replace(":", "__", StringComparison.Ordinal)));
            settings.UnionWith(ConnectionName().Matches(source).Select(m => m.Groups[1].Value));
        }

        return settings;
    }

    [GeneratedRegex(@"""[^""]*%([A-Za-z0-9_:.\-]+)%[^""]*""")]
    private static partial Regex BindingExpression();

    [GeneratedRegex(@"\bConnection\s*=\s*""([^""]+)""")]
    private static partial Regex ConnectionName();
}
