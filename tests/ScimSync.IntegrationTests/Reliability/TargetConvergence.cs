using System.Text.Json;
using ScimSync.Emulators.Atlassian;
using ScimSync.Emulators.Graph.Tenant;

namespace ScimSync.IntegrationTests.Reliability;

/// <summary>
/// Compares what the Atlassian emulator holds with what the Graph emulator's directory says it must hold, worked out
/// from the directory alone (not from anything the engine planned or recorded): every user assigned to the app
/// directly or through an assigned group (nested groups flattened), in a verified domain, exists once, active as in
/// Entra ID, with its display name and job title; every other account the sync created is deactivated; every assigned
/// group exists with exactly its in-scope, enabled members.
/// </summary>
internal static class TargetConvergence
{
    public static TargetComparison Compare(GraphTenantSnapshot directory, AtlassianDirectory target, string verifiedDomain = "contoso.com")
    {
        var usersById = directory.ActiveUsers.ToDictionary(user => user.Id);
        var groupsById = directory.ActiveGroups.ToDictionary(group => group.Id);
        var assigned = directory.Assignments.Select(assignment => assignment.PrincipalId).ToHashSet();

        HashSet<string> UsersUnder(string groupId, HashSet<string> seen)
        {
            var users = new HashSet<string>();
            if (!seen.Add(groupId) || !groupsById.TryGetValue(groupId, out var group))
            {
                return users;
            }

            foreach (var member in group.MemberIds)
            {
                if (usersById.ContainsKey(member))
                {
                    users.Add(member);
                }
                else
                {
                    users.UnionWith(UsersUnder(member, seen));
                }
            }

            return users;
        }

        var assignedGroups = groupsById.Keys.Where(assigned.Contains).ToList();
        var inScope = usersById.Keys.Where(assigned.Contains)
            .Concat(assignedGroups.SelectMany(group => UsersUnder(group, [])))
            .ToHashSet();
        string Upn(string id) => String(usersById[id], "userPrincipalName")!.ToLowerInvariant();
        bool Accepted(string id) => Upn(id).EndsWith("@" + verifiedDomain, StringComparison.Ordinal);
        bool Enabled(string id) => !usersById[id].Properties.TryGetValue("accountEnabled", out var value) || value.ValueKind != JsonValueKind.False;

        var problems = new List<string>();
        var live = target.LiveUsers;
        var duplicates = live.GroupBy(user => user.UserName, StringComparer.OrdinalIgnoreCase).Where(group => group.Count() > 1).ToList();
        problems.AddRange(duplicates.Select(group => $"{group.Count()} accounts with userName {group.Key}"));
        var byUserName = live.GroupBy(user => user.UserName.ToLowerInvariant()).ToDictionary(group => group.Key, group => group.First());

        var wanted = inScope.Where(Accepted).ToList();
        var missing = 0;
        foreach (var id in wanted)
        {
            var source = usersById[id];
            if (!byUserName.TryGetValue(Upn(id), out var account))
            {
                missing++;
                problems.Add($"{Upn(id)} is missing");
                continue;
            }

            Expect(problems, account, "active", Enabled(id).ToString(), account.Active.ToString());
            Expect(problems, account, "displayName", String(source, "displayName"), account.DisplayName);
            Expect(problems, account, "title", String(source, "jobTitle"), account.Attribute("title"));
        }

        var wantedNames = wanted.Select(Upn).ToHashSet();
        problems.AddRange(live.Where(user => user.Active && !wantedNames.Contains(user.UserName.ToLowerInvariant()))
            .Select(user => $"{user.UserName} is active but not in scope"));

        foreach (var groupId in assignedGroups)
        {
            var name = groupsById[groupId].DisplayName!;
            if (target.FindGroupByName(name) is not { } group)
            {
                problems.Add($"group '{name}' is missing");
                continue;
            }

            var expected = UsersUnder(groupId, []).Where(id => inScope.Contains(id) && Accepted(id) && Enabled(id)).Select(Upn).Order().ToList();
            var actual = group.Members.Select(member => target.FindUser(member)?.UserName.ToLowerInvariant() ?? $"(unknown id {member})").Order().ToList();
            if (!expected.SequenceEqual(actual))
            {
                problems.Add($"group '{name}': members missing [{string.Join(", ", expected.Except(actual).Take(5))}], extra [{string.Join(", ", actual.Except(expected).Take(5))}]");
            }
        }

        if (target.Groups.Count != assignedGroups.Count)
        {
            problems.Add($"the target has {target.Groups.Count} groups, the directory assigns {assignedGroups.Count}");
        }

        return new TargetComparison(wanted.Count, assignedGroups.Count, duplicates.Sum(group => group.Count() - 1), missing, problems);
    }

    private static void Expect(List<string> problems, AtlassianUser account, string attribute, string? expected, string? actual)
    {
        if (!string.Equals(expected, actual, StringComparison.Ordinal))
        {
            problems.Add($"{account.UserName}: {attribute} is '{actual}', the directory says '{expected}'");
        }
    }

    private static string? String(GraphObjectSnapshot entry, string property) =>
        entry.Properties.TryGetValue(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

/// <summary>The result of <see cref="TargetConvergence.Compare"/>: what should be there, and every difference found.</summary>
internal sealed record TargetComparison(int Users, int Groups, int Duplicates, int Missing, IReadOnlyList<string> Problems)
{
    public bool Converged => Problems.Count == 0;

    /// <summary>Fails the test naming the first differences.</summary>
    public void AssertConverged()
    {
        if (!Converged)
        {
            throw new Xunit.Sdk.XunitException(
                $"The target differs from the directory in {Problems.Count} ways:\n  " + string.Join("\n  ", Problems.Take(20)));
        }
    }
}
