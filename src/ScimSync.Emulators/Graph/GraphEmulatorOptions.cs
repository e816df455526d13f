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
    /// Sends updated objects in incremental rounds as their id plus only the properties that changed, as
    /// <c>Prefer: return=minimal</c> does and as graph-delta.md §2 allows without it ("id plus at least the changed
    /// properties"); a cleared property comes as <c>null</c>. New and restored objects still come in full.
    /// </summary>
    public bool SendChangedPropertiesOnly { get; set; }

    /// <summary>When set, Graph requests must carry <c>Authorization: Bearer {token}</c> with this token (else 401).</summary>
    public string? RequiredBearerToken { get; set; }

    /// <summary>Throws with the option's name when a value cannot work.</summary>
    public void Validate()
    {
        Positive(UserPageSize, nameof(UserPageSize));
        Positive(GroupPageSize, nameof(GroupPageSize));
        Positive(MaxPageSize, nameof(MaxPageSize));
        Positive(MembersPerPage, nameof(MembersPerPage));
        Positive(CollectionPageSize, nameof(CollectionPageSize));
        Positive(CollectionMaxPageSize, nameof(CollectionMaxPageSize));
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
    }

    private static void Positive(int value, string name)
    {
        if (value <= 0)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{nameof(GraphEmulatorOptions)}.{name} must be at least 1.");
        }
    }
}
