using System.Text.Json.Nodes;

namespace ScimSync.Emulators.Atlassian;

/// <summary>
/// PATCH on a multi-valued attribute of {value, type, primary} entries (emails, phoneNumbers): the whole list
/// (<c>emails</c>), entries picked by a value filter (<c>emails[type eq "work"]</c>), or one sub-attribute of those
/// entries (<c>emails[type eq "work"].value</c>, the form Entra sends).
/// </summary>
internal sealed class MultiValuedPatcher(List<AtlassianMultiValue> entries, string attribute, bool isEmail)
{
    private StringComparison ValueComparison => isEmail ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

    public void Apply(PatchOpKind kind, ScimPath path, JsonNode? value, string pathText)
    {
        if (path.Filter is null)
        {
            if (path.SubAttribute is not null)
            {
                throw ScimException.InvalidPath($"The path '{pathText}' needs a value filter, e.g. {attribute}[type eq \"work\"].value.");
            }

            ApplyToList(kind, value);
            return;
        }

        var filter = path.Filter;
        var matches = entries.Where(entry => Matches(entry, filter, pathText)).ToList();
        if (path.SubAttribute is null)
        {
            ApplyToEntries(kind, matches, filter, value, pathText);
        }
        else
        {
            ApplyToSubAttribute(kind, matches, filter, path.SubAttribute, value, pathText);
        }
    }

    private void ApplyToList(PatchOpKind kind, JsonNode? value)
    {
        switch (kind)
        {
            case PatchOpKind.Remove when value is null:
                entries.Clear();
                return;
            case PatchOpKind.Remove:
                foreach (var item in Items(value))
                {
                    entries.RemoveAll(entry => string.Equals(entry.Value, item.Value, ValueComparison));
                }

                return;
            case PatchOpKind.Replace:
                entries.Clear();
                foreach (var item in Items(value))
                {
                    Add(item);
                }

                return;
            default:
                foreach (var item in Items(value))
                {
                    Add(item);
                }

                return;
        }
    }

    private void ApplyToEntries(PatchOpKind kind, List<AtlassianMultiValue> matches, EqualityFilter filter, JsonNode? value, string pathText)
    {
        if (kind == PatchOpKind.Remove)
        {
            entries.RemoveAll(matches.Contains);
            return;
        }

        var item = Item(value as JsonObject ?? throw ScimException.InvalidValue($"'{pathText}' needs an object value."));
        if (matches.Count == 0)
        {
            Add(IsTypeFilter(filter) && item.Type is null ? item with { Type = filter.StringValue } : item);
            return;
        }

        foreach (var match in matches)
        {
            Replace(match, item);
        }
    }

    private void ApplyToSubAttribute(
        PatchOpKind kind, List<AtlassianMultiValue> matches, EqualityFilter filter, string subAttribute, JsonNode? value, string pathText)
    {
        var sub = subAttribute.ToUpperInvariant() switch
        {
            "VALUE" => "value",
            "TYPE" => "type",
            "PRIMARY" => "primary",
            _ => throw ScimException.InvalidPath($"'{pathText}': {attribute} entries have only value, type and primary."),
        };

        if (kind == PatchOpKind.Remove)
        {
            foreach (var match in matches)
            {
                // An entry without its value is no entry at all.
                if (sub == "value")
                {
                    entries.Remove(match);
                }
                else
                {
                    Replace(match, sub == "type" ? match with { Type = null } : match with { Primary = false });
                }
            }

            return;
        }

        if (matches.Count == 0)
        {
            // Entra's add/replace of emails[type eq "work"].value on a user without a work email creates that email.
            if (!IsTypeFilter(filter) || sub != "value")
            {
                throw ScimException.NoTarget($"No {attribute} entry matches '{pathText}'.");
            }

            var created = new AtlassianMultiValue(Value(RequestBody.OptionalString(value, pathText)), filter.StringValue, Primary: !entries.Any(e => e.Primary));
            entries.Add(created);
            return;
        }

        foreach (var match in matches)
        {
            var changed = sub switch
            {
                "value" => match with { Value = Value(RequestBody.OptionalString(value, pathText)) },
                "type" => match with { Type = RequestBody.OptionalString(value, pathText) },
                _ => match with { Primary = RequestBody.Boolean(value, pathText) },
            };
            Replace(match, changed);
        }
    }

    private bool Matches(AtlassianMultiValue entry, EqualityFilter filter, string pathText)
    {
        switch (filter.AttributePath.ToUpperInvariant())
        {
            case "TYPE":
                return string.Equals(entry.Type, filter.StringValue, StringComparison.OrdinalIgnoreCase);
            case "VALUE":
                return string.Equals(entry.Value, filter.StringValue, ValueComparison);
            case "PRIMARY":
                return filter.Value is not null && filter.Value.TryGetValue<bool>(out var primary) && entry.Primary == primary;
            default:
                throw ScimException.InvalidFilter($"'{pathText}': {attribute} can be filtered on type, value or primary only.");
        }
    }

    private static bool IsTypeFilter(EqualityFilter filter) =>
        filter.AttributePath.Equals("type", StringComparison.OrdinalIgnoreCase) && filter.StringValue is not null;

    private void Add(AtlassianMultiValue item)
    {
        var existing = entries.FindIndex(entry => string.Equals(entry.Value, item.Value, ValueComparison));
        if (item.Primary)
        {
            Demote();
        }

        if (existing >= 0)
        {
            entries[existing] = item;
        }
        else
        {
            entries.Add(item);
        }
    }

    private void Replace(AtlassianMultiValue old, AtlassianMultiValue replacement)
    {
        if (replacement.Primary && !old.Primary)
        {
            Demote();
        }

        var index = entries.IndexOf(old);
        if (index >= 0)
        {
            entries[index] = replacement;
        }
    }

    private void Demote()
    {
        for (var i = 0; i < entries.Count; i++)
        {
            entries[i] = entries[i] with { Primary = false };
        }
    }

    private List<AtlassianMultiValue> Items(JsonNode? value) => value switch
    {
        JsonArray array => array.Select(node => Item(node as JsonObject
                                                     ?? throw ScimException.InvalidValue($"Each '{attribute}' entry must be an object."))).ToList(),
        JsonObject single => [Item(single)],
        _ => throw ScimException.InvalidValue($"'{attribute}' must be an array of {{\"value\", \"type\", \"primary\"}} objects."),
    };

    private AtlassianMultiValue Item(JsonObject node) => new(
        Value(RequestBody.OptionalString(node["value"], attribute + ".value")),
        RequestBody.OptionalString(node["type"], attribute + ".type"),
        node["primary"] is { } primary && RequestBody.Boolean(primary, attribute + ".primary"));

    private string Value(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw ScimException.InvalidValue($"Each '{attribute}' entry needs a non-empty value.");
        }

        return !isEmail || value.Contains('@', StringComparison.Ordinal)
            ? value
            : throw ScimException.InvalidValue($"'{value}' is not an email address.");
    }
}
