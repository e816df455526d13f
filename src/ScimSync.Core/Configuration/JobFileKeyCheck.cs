using System.Text.Json;

namespace ScimSync.Core.Configuration;

/// <summary>
/// Finds keys of the job file that repeat within one object, exactly or only by case. The file is read without regard
/// to case, so such a key would silently override the other; it is refused instead, with both spellings and the path.
/// </summary>
internal static class JobFileKeyCheck
{
    private static readonly JsonDocumentOptions Options = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    /// <summary>One error per repeated key; none when the text is not JSON (the reader reports that).</summary>
    public static IReadOnlyList<string> RepeatedKeys(string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, Options);
        }
        catch (JsonException)
        {
            return [];
        }

        using (document)
        {
            var errors = new List<string>();
            Visit(document.RootElement, string.Empty, errors);
            return errors;
        }
    }

    private static void Visit(JsonElement element, string path, List<string> errors)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var seen = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                foreach (var property in element.EnumerateObject())
                {
                    var at = path.Length == 0 ? property.Name : $"{path}.{property.Name}";
                    if (seen.TryGetValue(property.Name, out var first))
                    {
                        errors.Add(first == property.Name
                            ? $"{at}: the key appears twice in the same object; the file would silently use the last. Keep one."
                            : $"{at}: the key differs from '{first}' only by case, and the file is read without regard to case, so one would silently override the other. Keep one.");
                    }
                    else
                    {
                        seen[property.Name] = property.Name;
                    }

                    Visit(property.Value, at, errors);
                }

                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    Visit(item, $"{path}[{index++}]", errors);
                }

                break;
        }
    }
}
