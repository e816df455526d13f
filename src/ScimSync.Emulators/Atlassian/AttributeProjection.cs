using System.Text.Json.Nodes;

namespace ScimSync.Emulators.Atlassian;

/// <summary>
/// The <c>attributes</c> and <c>excludedAttributes</c> query parameters (RFC 7644 §3.4.2.5), honoured on the Users
/// endpoints only and mutually exclusive (atlassian-scim-api.md §3). <c>id</c> and <c>schemas</c> are always returned.
/// </summary>
internal sealed class AttributeProjection
{
    private static readonly string[] KnownSchemas = [ScimUrns.User, ScimUrns.EnterpriseUser, ScimUrns.AtlassianExternal];
    private static readonly HashSet<string> AlwaysReturned = new(["id", "schemas"], StringComparer.OrdinalIgnoreCase);

    private readonly bool _include;

    // Top-level key (core attribute or extension URN) to the sub-attributes named, or null for the whole attribute.
    private readonly Dictionary<string, HashSet<string>?> _selected = new(StringComparer.OrdinalIgnoreCase);

    private AttributeProjection(bool include) => _include = include;

    public static AttributeProjection? FromQuery(string? attributes, string? excludedAttributes)
    {
        var hasInclude = !string.IsNullOrWhiteSpace(attributes);
        var hasExclude = !string.IsNullOrWhiteSpace(excludedAttributes);
        if (hasInclude && hasExclude)
        {
            throw ScimException.InvalidSyntax("'attributes' and 'excludedAttributes' cannot be used together.");
        }

        if (!hasInclude && !hasExclude)
        {
            return null;
        }

        var projection = new AttributeProjection(hasInclude);
        foreach (var name in (hasInclude ? attributes : excludedAttributes)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var path = ScimPath.Parse(name, ScimUrns.User, KnownSchemas);
            if (path.Filter is not null)
            {
                throw ScimException.InvalidValue($"'{name}': attribute lists cannot contain value filters.");
            }

            // Core attributes are top-level keys; extension attributes live in an object keyed by the URN.
            var (key, sub) = path.Schema == ScimUrns.User
                ? (path.Attribute ?? "schemas", path.SubAttribute)
                : (path.Schema, path.Attribute);
            if (key.Length == 0)
            {
                continue;
            }

            if (sub is null)
            {
                projection._selected[key] = null;
            }
            else if (!projection._selected.TryGetValue(key, out var subs) || subs is not null)
            {
                (projection._selected[key] = subs ?? new HashSet<string>(StringComparer.OrdinalIgnoreCase))!.Add(sub);
            }
        }

        return projection;
    }

    public JsonObject Apply(JsonObject resource)
    {
        var result = new JsonObject();
        foreach (var (key, value) in resource.ToList())
        {
            var copy = value?.DeepClone();
            if (AlwaysReturned.Contains(key))
            {
                result[key] = copy;
                continue;
            }

            var named = _selected.TryGetValue(key, out var subs);
            if (_include)
            {
                if (named)
                {
                    result[key] = subs is null ? copy : Keep(copy, subs, keep: true);
                }
            }
            else if (!named)
            {
                result[key] = copy;
            }
            else if (subs is not null)
            {
                result[key] = Keep(copy, subs, keep: false);
            }
        }

        return result;
    }

    private static JsonNode? Keep(JsonNode? node, HashSet<string> subs, bool keep)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var name in obj.Select(pair => pair.Key).ToList())
                {
                    if (subs.Contains(name) != keep)
                    {
                        obj.Remove(name);
                    }
                }

                return obj;
            case JsonArray array:
                foreach (var item in array)
                {
                    Keep(item, subs, keep);
                }

                return array;
            default:
                return node;
        }
    }
}
