using System.Text.Json;
using System.Text.Json.Nodes;
using ScimSync.Core.Identity;

namespace ScimSync.Core.Scim;

/// <summary>
/// Builds the smallest PATCH (RFC 7644 §3.5.2) that takes a resource from its applied attributes to the desired
/// ones, spelled as the target's <see cref="ScimPatchStyle"/> asks, and the member add/remove PATCHes of a group.
/// </summary>
public static class ScimPatchBuilder
{
    /// <summary>
    /// The operations between <paramref name="applied"/> and <paramref name="desired"/>: a changed or new value is
    /// replaced (one operation per path, or one pathless replace in Entra's style); a value of a multi-valued
    /// attribute the target does not have yet (<c>emails[type eq "work"].value</c>) is added to the attribute; a
    /// JSON null in <paramref name="desired"/> removes the value when one was applied; a path absent from
    /// <paramref name="desired"/> is left alone. Equal states give no operations.
    /// </summary>
    public static IReadOnlyList<ScimPatchOperation> Build(ScimAttributes applied, ScimAttributes desired, ScimPatchStyle style)
    {
        ArgumentNullException.ThrowIfNull(applied);
        ArgumentNullException.ThrowIfNull(desired);
        ArgumentNullException.ThrowIfNull(style);

        var operations = new List<ScimPatchOperation>();
        var newElements = new Dictionary<string, (int Index, ScimPath Path, JsonObject Element)>(StringComparer.OrdinalIgnoreCase);
        JsonObject? pathless = null;
        var pathlessIndex = -1;

        foreach (var (text, wanted) in desired.Values)
        {
            var current = applied[text] is { ValueKind: not JsonValueKind.Null and not JsonValueKind.Undefined } value ? value : (JsonElement?)null;
            if (wanted.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
            {
                if (current is not null)
                {
                    operations.Add(new ScimPatchOperation(style.Remove, text, null));
                }

                continue;
            }

            if (current is { } existing && JsonElement.DeepEquals(existing, wanted))
            {
                continue;
            }

            var path = ScimPath.Parse(text);
            if (path.HasFilter && current is null && !applied.Values.Keys.Any(key => SameElement(key, path)))
            {
                // Replacing through a value filter that matches nothing is an error (RFC 7644 §3.5.2.3 noTarget):
                // a value the resource does not have yet is added to the multi-valued attribute instead.
                var key = ElementKey(path);
                if (!newElements.TryGetValue(key, out var entry))
                {
                    var element = new JsonObject { [path.FilterAttribute!] = path.FilterValue };
                    if (string.Equals(path.FilterAttribute, "type", StringComparison.OrdinalIgnoreCase)
                        && !applied.Values.Keys.Any(k => SameAttribute(k, path)))
                    {
                        element["primary"] = true;
                    }

                    entry = (operations.Count, path, element);
                    newElements[key] = entry;
                    operations.Add(null!);
                }

                if (path.SubAttribute is { } sub)
                {
                    entry.Element[sub] = JsonSerializer.SerializeToNode(wanted, ScimJsonContext.Wire.JsonElement);
                }

                continue;
            }

            if (style.PathlessReplace && !path.HasFilter)
            {
                if (pathless is null)
                {
                    pathless = [];
                    pathlessIndex = operations.Count;
                    operations.Add(null!);
                }

                pathless[text] = JsonSerializer.SerializeToNode(wanted, ScimJsonContext.Wire.JsonElement);
                continue;
            }

            operations.Add(new ScimPatchOperation(style.Replace, text, wanted.Clone()));
        }

        foreach (var (index, path, element) in newElements.Values)
        {
            var attribute = path with { FilterAttribute = null, FilterValue = null, SubAttribute = null };
            operations[index] = new ScimPatchOperation(
                style.Add, attribute.ToString(), JsonSerializer.SerializeToElement(new JsonArray(element), ScimJsonContext.Wire.JsonArray));
        }

        if (pathless is not null)
        {
            operations[pathlessIndex] = new ScimPatchOperation(
                style.Replace, null, JsonSerializer.SerializeToElement(pathless, ScimJsonContext.Wire.JsonObject));
        }

        return operations;
    }

    /// <summary>PATCH bodies adding <paramref name="members"/> to a group, at most <paramref name="batchSize"/> per request.</summary>
    public static IReadOnlyList<ScimPatchRequest> AddMembers(IEnumerable<TargetId> members, ScimPatchStyle style, int batchSize)
    {
        ArgumentNullException.ThrowIfNull(style);
        return Batches(members, batchSize)
            .Select(batch => ScimPatchRequest.Of([new ScimPatchOperation(style.Add, "members", MemberValues(batch))]))
            .ToList();
    }

    /// <summary>PATCH bodies removing <paramref name="members"/> from a group, at most <paramref name="batchSize"/> per request.</summary>
    public static IReadOnlyList<ScimPatchRequest> RemoveMembers(IEnumerable<TargetId> members, ScimPatchStyle style, int batchSize)
    {
        ArgumentNullException.ThrowIfNull(style);
        return Batches(members, batchSize)
            .Select(batch => ScimPatchRequest.Of(style.MemberRemoval == ScimMemberRemoval.ValueArray
                ? [new ScimPatchOperation(style.Remove, "members", MemberValues(batch))]
                : batch.Select(id => new ScimPatchOperation(style.Remove, $"members[value eq \"{ScimFilter.Escape(id.Value)}\"]", null)).ToList()))
            .ToList();
    }

    private static IEnumerable<TargetId[]> Batches(IEnumerable<TargetId> members, int batchSize)
    {
        ArgumentNullException.ThrowIfNull(members);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        return members.Distinct().Chunk(batchSize);
    }

    private static JsonElement MemberValues(IEnumerable<TargetId> batch) =>
        JsonSerializer.SerializeToElement(
            new JsonArray(batch.Select(id => (JsonNode?)new JsonObject { ["value"] = id.Value }).ToArray()),
            ScimJsonContext.Wire.JsonArray);

    private static string ElementKey(ScimPath path) =>
        $"{path.Schema}|{path.Attribute}|{path.FilterAttribute}|{path.FilterValue}".ToUpperInvariant();

    private static bool SameElement(string appliedPath, ScimPath path) =>
        TryParse(appliedPath) is { } other && ElementKey(other) == ElementKey(path);

    private static bool SameAttribute(string appliedPath, ScimPath path) =>
        TryParse(appliedPath) is { } other
        && string.Equals(other.Schema, path.Schema, StringComparison.OrdinalIgnoreCase)
        && string.Equals(other.Attribute, path.Attribute, StringComparison.OrdinalIgnoreCase);

    private static ScimPath? TryParse(string text)
    {
        try
        {
            return ScimPath.Parse(text);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
