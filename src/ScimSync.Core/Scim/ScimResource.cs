using System.Text.Json;
using ScimSync.Core.Directory;
using ScimSync.Core.Identity;

namespace ScimSync.Core.Scim;

/// <summary>A resource as the target returned it: its id, its attributes by path, group members and the raw body.</summary>
public sealed record ScimResource(TargetId Id, ObjectKind Kind, ScimAttributes Attributes, IReadOnlyList<TargetId> Members, JsonElement Body)
{
    /// <summary>Reads a resource body; throws <see cref="FormatException"/> when it has no <c>id</c>.</summary>
    public static ScimResource From(ObjectKind kind, JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object
            || !body.TryGetProperty("id", out var id) || id.ValueKind != JsonValueKind.String
            || string.IsNullOrEmpty(id.GetString()))
        {
            throw new FormatException($"The target returned a {kind} without an 'id'.");
        }

        var members = new List<TargetId>();
        if (body.TryGetProperty("members", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var member in list.EnumerateArray())
            {
                if (member.ValueKind == JsonValueKind.Object && member.TryGetProperty("value", out var value)
                    && value.ValueKind == JsonValueKind.String)
                {
                    members.Add(new TargetId(value.GetString()!));
                }
            }
        }

        return new ScimResource(new TargetId(id.GetString()!), kind, ScimResourceBody.Read(body), members, body.Clone());
    }

    public string? GetString(string path) => Attributes[path] is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;
}
