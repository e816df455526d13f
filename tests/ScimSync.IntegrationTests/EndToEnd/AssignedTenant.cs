using ScimSync.Emulators.Graph.Seeding;
using ScimSync.Emulators.Graph.Tenant;

namespace ScimSync.IntegrationTests.EndToEnd;

/// <summary>A tenant whose users and groups are all assigned to the app, each user a member of one group in turn.</summary>
internal static class AssignedTenant
{
    public static (DirectorySeed Seed, IReadOnlyList<string> Users) Build(int users, int groups, string groupName)
    {
        var seed = new DirectorySeedBuilder();
        var ids = seed.AddUsers(users);
        foreach (var user in ids)
        {
            seed.Assign(user, ObjectType.User);
        }

        for (var g = 0; g < groups; g++)
        {
            seed.Assign(seed.AddGroup($"{groupName} {g}", ids.Where((_, index) => index % groups == g)), ObjectType.Group);
        }

        return (seed.Build(), ids);
    }
}
