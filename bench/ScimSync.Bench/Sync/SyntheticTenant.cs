using ScimSync.Emulators.Graph.Seeding;
using ScimSync.Emulators.Graph.Tenant;

namespace ScimSync.Bench.Sync;

/// <summary>
/// A seeded synthetic tenant: users in ten departments, groups whose sizes fall off like a power law (a few
/// organisation-wide groups of thousands, a long tail of teams of a few dozen), each user in several groups, every
/// user and group assigned to the app. The same seed and sizes give the same tenant.
/// </summary>
internal sealed class SyntheticTenant
{
    private const int Departments = 10;

    private SyntheticTenant(DirectorySeed? seed, IReadOnlyList<string> users, IReadOnlyList<string> groups, IReadOnlyList<int> groupSizes)
    {
        Seed = seed;
        Users = users;
        Groups = groups;
        GroupSizes = groupSizes;
    }

    /// <summary>What the Graph emulator is seeded with; null once let go (<see cref="WithoutSeed"/>).</summary>
    public DirectorySeed? Seed { get; }

    public IReadOnlyList<string> Users { get; }

    public IReadOnlyList<string> Groups { get; }

    /// <summary>Members of each group, in the order of <see cref="Groups"/>.</summary>
    public IReadOnlyList<int> GroupSizes { get; }

    public long Memberships => GroupSizes.Sum(size => (long)size);

    /// <summary>The same tenant's names and sizes without the seed, for when the emulator runs in another process.</summary>
    public SyntheticTenant WithoutSeed() => new(null, Users, Groups, GroupSizes);

    public static SyntheticTenant Build(int userCount, int groupCount, long membershipCount, int randomSeed)
    {
        var random = new Random(randomSeed);
        var builder = new DirectorySeedBuilder();
        var users = new List<string>(userCount);
        for (var department = 0; department < Departments; department++)
        {
            var count = userCount / Departments + (department < userCount % Departments ? 1 : 0);
            users.AddRange(builder.AddUsers(count, $"Department {department + 1}"));
        }

        var sizes = GroupSizesFor(userCount, groupCount, membershipCount);
        var groups = new List<string>(groupCount);
        var pool = Enumerable.Range(0, userCount).ToArray();
        for (var g = 0; g < groupCount; g++)
        {
            // A partial Fisher-Yates shuffle draws distinct members; the pool stays a permutation for the next group.
            var members = new string[sizes[g]];
            for (var m = 0; m < members.Length; m++)
            {
                var pick = random.Next(m, userCount);
                (pool[m], pool[pick]) = (pool[pick], pool[m]);
                members[m] = users[pool[m]];
            }

            groups.Add(builder.AddGroup(g < 3 ? $"All staff {g + 1}" : $"Team {g + 1}", members));
        }

        foreach (var user in users)
        {
            builder.Assign(user, ObjectType.User);
        }

        foreach (var group in groups)
        {
            builder.Assign(group, ObjectType.Group);
        }

        return new SyntheticTenant(builder.Build(), users, groups, sizes);
    }

    /// <summary>
    /// Sizes proportional to 1/rank^0.9, scaled to the requested total and capped at the user count: for 500 groups
    /// and 50,000 memberships the largest has about 5,400 members, the median about 40, the smallest about 20.
    /// </summary>
    private static int[] GroupSizesFor(int userCount, int groupCount, long membershipCount)
    {
        if (groupCount == 0)
        {
            return [];
        }

        var weights = Enumerable.Range(1, groupCount).Select(rank => 1 / Math.Pow(rank, 0.9)).ToArray();
        var total = weights.Sum();
        var sizes = weights.Select(weight => (int)Math.Clamp(Math.Round(membershipCount * weight / total), 0, userCount)).ToArray();

        // Rounding and the cap leave the sum a little off; spread the difference over the tail.
        var missing = membershipCount - sizes.Sum(size => (long)size);
        for (var g = groupCount - 1; missing != 0; g = g == 0 ? groupCount - 1 : g - 1)
        {
            var step = missing > 0 ? 1 : -1;
            if (sizes[g] + step >= 0 && sizes[g] + step <= userCount)
            {
                sizes[g] += step;
                missing -= step;
            }
        }

        return sizes;
    }
}
