using System.Text.Json;
using ScimSync.Emulators.Graph.Tenant;

namespace ScimSync.Emulators.Graph.Seeding;

/// <summary>Checks a seed's references and property names before the tenant is built from it.</summary>
public static class DirectorySeedValidator
{
    public static IReadOnlyList<string> Validate(DirectorySeed seed)
    {
        ArgumentNullException.ThrowIfNull(seed);
        var problems = new List<string>();
        var kinds = new Dictionary<string, ObjectType>(StringComparer.OrdinalIgnoreCase);

        Require(seed.ServicePrincipal.Id, "servicePrincipal.id", problems);
        var roles = seed.ServicePrincipal.AppRoles.Select(role => role.Id).ToHashSet();

        for (var i = 0; i < seed.Users.Count; i++)
        {
            var user = seed.Users[i];
            var path = $"users[{i}]";
            AddId(user.Id, ObjectType.User, $"{path}.id", kinds, problems);
            foreach (var name in user.Properties.Keys)
            {
                if (string.Equals(name, "id", StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                if (GraphProperties.Canonical(ObjectType.User, name) is null)
                {
                    problems.Add($"{path}.{name}: not a Graph user property (see docs/demo-directory.md).");
                }
            }

            foreach (var required in (string[])["userPrincipalName", "displayName"])
            {
                if (!user.Properties.TryGetValue(required, out var value) || value.ValueKind != JsonValueKind.String)
                {
                    problems.Add($"{path}.{required}: required, as a string.");
                }
            }
        }

        var blocks = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < seed.GeneratedUsers.Count; i++)
        {
            var block = seed.GeneratedUsers[i];
            var path = $"generatedUsers[{i}]";
            if (Require(block.Key, $"{path}.key", problems) && !blocks.Add(block.Key))
            {
                problems.Add($"{path}.key: '{block.Key}' is used by another block.");
            }

            if (block.Count < 0)
            {
                problems.Add($"{path}.count: must be zero or more, was {block.Count}.");
            }

            Require(block.IdPrefix, $"{path}.idPrefix", problems);
            Require(block.UpnPrefix, $"{path}.upnPrefix", problems);
            Require(block.Domain, $"{path}.domain", problems);
            for (var number = 1; number <= block.Count; number++)
            {
                AddId(GeneratedUsers.IdOf(block, number), ObjectType.User, $"{path} user {number}", kinds, problems);
            }
        }

        for (var i = 0; i < seed.Groups.Count; i++)
        {
            AddId(seed.Groups[i].Id, ObjectType.Group, $"groups[{i}].id", kinds, problems);
            Require(seed.Groups[i].DisplayName, $"groups[{i}].displayName", problems);
        }

        for (var i = 0; i < seed.Users.Count; i++)
        {
            var manager = seed.Users[i].ManagerId;
            if (manager is not null && (!kinds.TryGetValue(manager, out var kind) || kind != ObjectType.User))
            {
                problems.Add($"users[{i}].managerId: '{manager}' is not the id of a user in this file.");
            }
        }

        for (var i = 0; i < seed.Groups.Count; i++)
        {
            var group = seed.Groups[i];
            for (var m = 0; m < group.Members.Count; m++)
            {
                var member = group.Members[m];
                if (!kinds.ContainsKey(member))
                {
                    problems.Add($"groups[{i}].members[{m}]: '{member}' is not the id of a user or group in this file.");
                }
                else if (string.Equals(member, group.Id, StringComparison.OrdinalIgnoreCase))
                {
                    problems.Add($"groups[{i}].members[{m}]: a group cannot be a member of itself.");
                }
            }

            if (group.IncludeGeneratedUsers is not null && !blocks.Contains(group.IncludeGeneratedUsers))
            {
                problems.Add($"groups[{i}].includeGeneratedUsers: no generatedUsers block has the key '{group.IncludeGeneratedUsers}'.");
            }
        }

        for (var i = 0; i < seed.AppRoleAssignments.Count; i++)
        {
            var assignment = seed.AppRoleAssignments[i];
            var path = $"appRoleAssignments[{i}]";
            if (!Enum.TryParse<ObjectType>(assignment.PrincipalType, ignoreCase: true, out var type))
            {
                problems.Add($"{path}.principalType: must be 'User' or 'Group', was '{assignment.PrincipalType}'.");
            }
            else if (!kinds.TryGetValue(assignment.PrincipalId, out var kind) || kind != type)
            {
                problems.Add($"{path}.principalId: '{assignment.PrincipalId}' is not the id of a {type.ToString().ToLowerInvariant()} in this file.");
            }

            if (!roles.Contains(assignment.AppRoleId))
            {
                problems.Add($"{path}.appRoleId: {assignment.AppRoleId} is not one of servicePrincipal.appRoles.");
            }
        }

        return problems;
    }

    private static bool Require(string? value, string path, List<string> problems)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            return true;
        }

        problems.Add($"{path}: required.");
        return false;
    }

    private static void AddId(string id, ObjectType type, string path, Dictionary<string, ObjectType> kinds, List<string> problems)
    {
        if (Require(id, path, problems) && !kinds.TryAdd(id, type))
        {
            problems.Add($"{path}: the id '{id}' is used twice.");
        }
    }
}
