using System.Collections;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;
using ScimSync.Core.Mapping;

namespace ScimSync.Core.Configuration;

/// <summary>
/// Says what the JSON reader refused in a job file in the file's own words: an unknown setting with the settings that
/// are allowed where it stands (and the one most likely meant), or the kind of value a setting takes, instead of the
/// .NET types the reader's messages name.
/// </summary>
internal static partial class JobFileJsonErrors
{
    public static string Explain(JsonException error)
    {
        var message = FirstSentence(error.Message);
        if (message.StartsWith("Expected depth to be zero at the end of the JSON payload", StringComparison.Ordinal))
        {
            return "the file ends before every { and [ in it is closed.";
        }

        if (message.StartsWith("The input does not contain any JSON tokens", StringComparison.Ordinal))
        {
            return "the file is empty; a job file is a JSON object with a \"jobs\" list.";
        }

        if (UnknownSetting().Match(message) is { Success: true } unknown)
        {
            var name = unknown.Groups["name"].Value;
            if (Settings(Resolve(unknown.Groups["type"].Value)) is not { Count: > 0 } known)
            {
                return $"'{name}' is not a setting here.";
            }

            var suggestion = NameSuggestion.Nearest(name, known);
            return $"'{name}' is not a setting here{(suggestion is null ? "." : $"; did you mean '{suggestion}'?")} The settings here are {string.Join(", ", known)}.";
        }

        if (NotConverted().Match(message) is { Success: true } converted)
        {
            var type = Resolve(converted.Groups["type"].Value);
            // The reader may name the object holding the setting rather than the setting's own type.
            var setting = error.Path is { } path ? LastName(path) : null;
            if (type is not null && setting is not null && SettingType(type, setting) is { } declared)
            {
                type = declared;
            }

            return type is null ? message : $"expected {Describe(type)}.";
        }

        return message;
    }

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". Path:", StringComparison.Ordinal);
        return end > 0 ? message[..end] + "." : message;
    }

    private static Type? Resolve(string name) => Type.GetType(name) ?? typeof(JobFile).Assembly.GetType(name);

    private static IReadOnlyList<string>? Settings(Type? type) =>
        type is not null && JobFileJsonContext.Default.GetTypeInfo(type) is { Kind: JsonTypeInfoKind.Object } info
            ? [.. info.Properties.Where(property => property.Set is not null).Select(property => property.Name)]
            : null;

    private static Type? SettingType(Type type, string setting) =>
        JobFileJsonContext.Default.GetTypeInfo(type)?.Properties
            .FirstOrDefault(property => string.Equals(property.Name, setting, StringComparison.OrdinalIgnoreCase))?.PropertyType;

    private static string? LastName(string path)
    {
        var name = path.Split('.')[^1];
        var index = name.IndexOf('[', StringComparison.Ordinal);
        name = index >= 0 ? name[..index] : name;
        return name.Length == 0 || name == "$" ? null : name;
    }

    private static string Describe(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type.IsEnum)
        {
            return "one of " + string.Join(", ", Enum.GetNames(type));
        }

        if (type == typeof(int) || type == typeof(long) || type == typeof(short))
        {
            return "a whole number";
        }

        if (type == typeof(double) || type == typeof(decimal) || type == typeof(float))
        {
            return "a number";
        }

        return type switch
        {
            _ when type == typeof(bool) => "true or false",
            _ when type == typeof(string) => "text in double quotes",
            _ when type == typeof(TimeSpan) => "a duration in double quotes, hours:minutes:seconds, e.g. \"00:05:00\"",
            _ when type == typeof(DateTimeOffset) => "a date and time in double quotes, e.g. \"2026-01-31T08:00:00Z\"",
            _ when type == typeof(Guid) => "a GUID in double quotes",
            _ when typeof(IEnumerable).IsAssignableFrom(type) => "a list in square brackets",
            _ when Settings(type) is { Count: > 0 } settings => $"an object in braces with the settings {string.Join(", ", settings)}",
            _ => $"a value of type {type.Name}",
        };
    }

    [GeneratedRegex(@"^The JSON property '(?<name>.*)' could not be mapped to any \.NET member contained in type '(?<type>[^']+)'")]
    private static partial Regex UnknownSetting();

    [GeneratedRegex(@"^The JSON value could not be converted to (?<type>\S+?)\.?$")]
    private static partial Regex NotConverted();
}
