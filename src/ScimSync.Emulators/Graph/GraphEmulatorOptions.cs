using ScimSync.Emulators.Faults;
using ScimSync.Emulators.Graph.Seeding;

namespace ScimSync.Emulators.Graph;

/// <summary>How a <see cref="GraphEmulator"/> starts and pages. Checked by <see cref="Validate"/> at start.</summary>
public sealed class GraphEmulatorOptions
{
    /// <summary>Loopback port; 0 picks a free one.</summary>
    public int Port { get; set; }

    /// <summary>The tenant to serve. Empty (no users or groups) when not set.</summary>
    public DirectorySeed? Seed { get; set; }

    /// <summary>Clock for token lifetimes and timestamps; tests pass a FakeTimeProvider.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Users per delta page. Graph chooses its page size; clients must not assume one.</summary>
    public int UserPageSize { get; set; } = 100;

    /// <summary>Groups per delta page.</summary>
    public int GroupPageSize { get; set; } = 100;

    /// <summary>The most objects a page may hold when a client asks for more with <c>Prefer: odata.maxpagesize</c>.</summary>
    public int MaxPageSize { get; set; } = 200;

    /// <summary><c>members@delta</c> entries per page; a larger group is split over several pages.</summary>
    public int MembersPerPage { get; set; } = 500;

    /// <summary>Default page size of appRoleAssignedTo, members and transitiveMembers when there is no <c>$top</c>.</summary>
    public int CollectionPageSize { get; set; } = 100;

    /// <summary>The largest <c>$top</c> accepted on those collections.</summary>
    public int CollectionMaxPageSize { get; set; } = 999;

    /// <summary>How long a delta token stays valid: 7 days for directory objects.</summary>
    public TimeSpan DeltaTokenLifetime { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// Also list soft- and hard-deleted objects (as <c>@removed</c>) in an initial round, which Graph may do;
    /// clients must tolerate it.
    /// </summary>
    public bool ReportDeletedInInitialRound { get; set; }

    /// <summary>
    /// Starts every delta round with a page that has no objects and a nextLink, which Graph may send; clients must keep
    /// following the links rather than stop at an empty page.
    /// </summary>
    public bool StartRoundsWithEmptyPage { get; set; }

    /// <summary>
    /// Lists, in initial rounds, a group's former members as <c>members@delta</c> entries with <c>@removed</c>, which
    /// users report Graph doing (graph-delta.md §2); an entry without the annotation is still a member.
    /// </summary>
    public bool ReportRemovedMembersInInitialRound { get; set; }

    /// <summary>
    /// Sends objects more than once in a round: every other object twice within its page, and each page after the
    /// first starts with the previous page's last object again (graph-delta.md §3: replays, and "the same entity can
    /// appear more than once in a single response").
    /// </summary>
    public bool RepeatObjects { get; set; }

    /// <summary>Lists each page's objects and each <c>members@delta</c> slice in a random order (§2: no guaranteed order).</summary>
    public bool ShuffleOrder { get; set; }

    /// <summary>
    /// Gives every page a random size between 1 and the page size (and a random member budget), so sizes vary within
    /// a round (§1: "the page size is server-chosen and varies").
    /// </summary>
    public bool VaryPageSizes { get; set; }

    /// <summary>
    /// How many Graph requests behind the delta endpoint runs (§3, §5: replication delays): a change shows in
    /// users/groups delta only after this many further requests, while appRoleAssignedTo, members and reads by id see
    /// it at once. 0: no lag.
    /// </summary>
    public int ReplicaLagRequests { get; set; }

    /// <summary>
    /// How injected 429s say when to retry: by default <c>Retry-After</c> with milliseconds (<c>2.128</c>), as Graph's
    /// sample shows (graph-delta.md §4); <see cref="ThrottleHeaderStyle.RetryAfterSeconds"/> for whole seconds, which the
    /// Graph SDK honours. Every injected 429 also carries <c>x-ms-throttle-scope</c> and <c>x-ms-throttle-information</c>.
    /// </summary>
    public ThrottleHeaderStyle ThrottleStyle { get; set; } = ThrottleHeaderStyle.RetryAfterDecimal;

    /// <summary>Seed of the random choices <see cref="ShuffleOrder"/> and <see cref="VaryPageSizes"/> make, so a run repeats.</summary>
    public int RandomSeed { get; set; } = 1;

    /// <summary>
    /// Sends updated objects in incremental rounds as their id plus only the properties that changed, as
    /// <c>Prefer: return=minimal</c> does and as graph-delta.md §2 allows without it ("id plus at least the changed
    /// properties"); a cleared property comes as <c>null</c>. New and restored objects still come in full.
    /// </summary>
    public bool SendChangedPropertiesOnly { get; set; }

    /// <summary>
    /// The bearer token Graph requests must carry (<c>Authorization: Bearer {token}</c>, else 401
    /// <c>InvalidAuthenticationToken</c>, as Graph answers). A random one when null; read it from
    /// <see cref="GraphEmulator.AccessToken"/>.
    /// </summary>
    public string? AccessToken { get; set; }

    /// <summary>
    /// Lets requests without an <c>Authorization</c> header in. Graph never does; a test or a local trial that wants
    /// anonymous access says so here. A request that does send a token must still send the right one.
    /// </summary>
    public bool AllowAnonymous { get; set; }

    /// <summary>Throws with the option's name when a value cannot work.</summary>
    public void Validate()
    {
        Positive(UserPageSize, nameof(UserPageSize));
        Positive(GroupPageSize, nameof(GroupPageSize));
        Positive(MaxPageSize, nameof(MaxPageSize));
        Positive(MembersPerPage, nameof(MembersPerPage));
        Positive(CollectionPageSize, nameof(CollectionPageSize));
        Positive(CollectionMaxPageSize, nameof(CollectionMaxPageSize));
        if (ReplicaLagRequests < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(ReplicaLagRequests), ReplicaLagRequests,
                $"{nameof(GraphEmulatorOptions)}.{nameof(ReplicaLagRequests)} cannot be negative.");
        }

        if (Port is < 0 or > 65535)
        {
            throw new ArgumentOutOfRangeException(nameof(Port), Port, $"{nameof(GraphEmulatorOptions)}.{nameof(Port)} must be 0 (any free port) or 1-65535.");
        }

        if (DeltaTokenLifetime <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(DeltaTokenLifetime), DeltaTokenLifetime,
                $"{nameof(GraphEmulatorOptions)}.{nameof(DeltaTokenLifetime)} must be positive.");
        }

        ArgumentNullException.ThrowIfNull(TimeProvider, $"{nameof(GraphEmulatorOptions)}.{nameof(TimeProvider)}");
        if (AccessToken is not null && string.IsNullOrWhiteSpace(AccessToken))
        {
            throw new ArgumentException($"{nameof(GraphEmulatorOptions)}.{nameof(AccessToken)} cannot be blank; leave it null for a random token.");
        }
    }

    private static void Positive(int value, string name)
    {
        if (value <= 0)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{nameof(GraphEmulatorOptions)}.{name} must be at least 1.");
        }
    }
}
