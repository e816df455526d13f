using System.Text.Json.Nodes;

namespace ScimSync.Emulators.Atlassian;

/// <summary>
/// Applies PATCH operations, and POST/PUT bodies, to a group record: membership changes in every form Entra sends
/// (entra-provisioning-service.md §5), and a refusal of renames (atlassian-scim-api.md §8).
/// </summary>
/// <param name="userExists">Whether a user id names a user the API still serves.</param>
/// <param name="missingMember">The error for a member id that names no such user; it differs by method (§2).</param>
internal sealed class GroupPatcher(
    GroupResource group,
    Func<string, bool> userExists,
    Func<string, ScimException> missingMember,
    GroupRenameBehaviour rename = GroupRenameBehaviour.Refused,
    GroupRenameBehaviour caseOnlyRename = GroupRenameBehaviour.Refused)
{
    private static readonly string[] Schemas = [ScimUrns.Group];

    public void Apply(PatchOperation operation)
    {
        if (operation.Path is not null)
        {
            ApplyPath(operation.Kind, operation.Path, operation.Value);
            return;
        }

        if (operation.Value is not JsonObject members)
        {
            throw ScimException.InvalidValue("An add or replace without a path needs an object value.");
        }

        foreach (var (key, value) in members.ToList())
        {
            ApplyPath(operation.Kind, key, value);
        }
    }

    /// <summary>Sets displayName, externalId and members from a POST or PUT body; other attributes are ignored.</summary>
    public void ApplyBody(JsonObject body, bool replace)
    {
        var name = RequestBody.OptionalString(body["displayName"], "displayName");
        if (string.IsNullOrWhiteSpace(name))
        {
            throw ScimException.InvalidValue("'displayName' is required.");
        }

        Rename(name);
        group.ExternalId = RequestBody.OptionalString(body["externalId"], "externalId");
        if (replace)
        {
            group.Members.Clear();
        }

        if (body["members"] is { } members)
        {
            AddMembers(members);
        }
    }

    private void ApplyPath(PatchOpKind kind, string pathText, JsonNode? value)
    {
        var path = ScimPath.Parse(pathText, ScimUrns.Group, Schemas);
        switch (path.Attribute?.ToUpperInvariant())
        {
            case null:
                Apply(new PatchOperation(kind == PatchOpKind.Remove ? throw Unsupported(pathText) : kind, null, value));
                return;
            case "DISPLAYNAME" when path.Filter is null && path.SubAttribute is null:
                Rename(kind == PatchOpKind.Remove
                    ? throw ScimException.Mutability("'displayName' is required and cannot be removed.")
                    : RequestBody.OptionalString(value, "displayName") ?? throw ScimException.InvalidValue("'displayName' must be a string."));
                return;
            case "EXTERNALID" when path.Filter is null && path.SubAttribute is null:
                group.ExternalId = kind == PatchOpKind.Remove ? null : RequestBody.OptionalString(value, "externalId");
                return;
            case "MEMBERS" when path.SubAttribute is null:
                ApplyMembers(kind, path.Filter, value, pathText);
                return;
            case "ID" or "META" or "SCHEMAS":
                throw ScimException.Mutability($"'{path.Attribute}' is read-only.");
            default:
                throw Unsupported(pathText);
        }
    }

    private void ApplyMembers(PatchOpKind kind, EqualityFilter? filter, JsonNode? value, string pathText)
    {
        if (filter is not null)
        {
            // Entra with aadOptscim062020: {"op":"remove","path":"members[value eq \"<id>\"]"}.
            if (kind != PatchOpKind.Remove || !filter.AttributePath.Equals("value", StringComparison.OrdinalIgnoreCase) || filter.StringValue is null)
            {
                throw ScimException.InvalidPath($"'{pathText}': only remove of members[value eq \"<user id>\"] is supported.");
            }

            group.Members.Remove(filter.StringValue);
            return;
        }

        switch (kind)
        {
            case PatchOpKind.Remove when value is null:
                group.Members.Clear();
                return;
            case PatchOpKind.Remove:
                foreach (var id in MemberIds(value))
                {
                    group.Members.Remove(id);
                }

                return;
            case PatchOpKind.Replace:
                group.Members.Clear();
                AddMembers(value);
                return;
            default:
                AddMembers(value);
                return;
        }
    }

    private void AddMembers(JsonNode? value)
    {
        foreach (var id in MemberIds(value))
        {
            if (!userExists(id))
            {
                throw missingMember(id);
            }

            group.Members.Add(id);
        }
    }

    private static List<string> MemberIds(JsonNode? value)
    {
        List<JsonNode?> items = value switch
        {
            JsonArray array => [.. array],
            JsonObject single => [single],
            _ => throw ScimException.InvalidValue("'members' must be an array of {\"value\": \"<user id>\"} objects."),
        };

        return [.. items.Select(item => item is JsonObject member
                                          && RequestBody.OptionalString(member["value"], "members.value") is { Length: > 0 } id
            ? id
            : throw ScimException.InvalidValue("Each member needs a 'value' with the user's id."))];
    }

    private void Rename(string name)
    {
        // A new group takes its name. Atlassian does not support renames (§8) but does not say how it answers one, so
        // the answer is an option; a rename that changes only the case has its own.
        if (group.DisplayName.Length == 0)
        {
            group.DisplayName = name;
            return;
        }

        if (string.Equals(group.DisplayName, name, StringComparison.Ordinal))
        {
            return;
        }

        var behaviour = string.Equals(group.DisplayName, name, StringComparison.OrdinalIgnoreCase) ? caseOnlyRename : rename;
        if (behaviour == GroupRenameBehaviour.Applied)
        {
            group.DisplayName = name;
        }
        else if (behaviour == GroupRenameBehaviour.Refused)
        {
            throw ScimException.Mutability(
                $"Renaming group '{group.DisplayName}' to '{name}' is not supported: some parts of the products rely on group names. " +
                "Create a new group, move the members, then delete the old group.");
        }
    }

    private static ScimException Unsupported(string pathText) =>
        ScimException.InvalidPath($"The path '{pathText}' is not a group attribute this service supports.");
}
