using ScimSync.Emulators.Faults;

namespace ScimSync.Emulators.Atlassian;

/// <summary>How to start an <see cref="AtlassianScimEmulator"/>.</summary>
public sealed class AtlassianEmulatorOptions
{
    /// <summary>The directory id in the base URL <c>/scim/directory/{directoryId}</c>; other ids get 404.</summary>
    public string DirectoryId { get; set; } = "7d3b4e60-5c1a-4f6e-9a2b-0c8d1e2f3a4b";

    /// <summary>The directory API key clients send as a bearer token; a random one when null.</summary>
    public string? ApiKey { get; set; }

    /// <summary>The loopback port; 0 picks a free one.</summary>
    public int Port { get; set; }

    /// <summary>Most users in one group (atlassian-scim-api.md §12: 35,000).</summary>
    public int MaxMembersPerGroup { get; set; } = 35_000;

    /// <summary>Most resources in one list page (§3: 100).</summary>
    public int MaxPageSize { get; set; } = 100;

    /// <summary>Faults to start with; a new, fault-free <see cref="FaultSettings"/> when null.</summary>
    public FaultSettings? Faults { get; set; }

    /// <summary>The 429 header style when <see cref="Faults"/> is null (Atlassian documents none for SCIM, §11).</summary>
    public ThrottleHeaderStyle ThrottleStyle { get; set; } = ThrottleHeaderStyle.RetryAfterSeconds;

    /// <summary>Users, groups and accounts loaded before the first request.</summary>
    public AtlassianSeed? Seed { get; set; }

    /// <summary>Clock for meta.created/lastModified and fault timing.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(DirectoryId) || DirectoryId.Contains('/', StringComparison.Ordinal))
        {
            throw new ArgumentException($"{nameof(AtlassianEmulatorOptions)}.{nameof(DirectoryId)} must be a non-empty path segment, not '{DirectoryId}'.");
        }

        if (ApiKey is not null && string.IsNullOrWhiteSpace(ApiKey))
        {
            throw new ArgumentException($"{nameof(AtlassianEmulatorOptions)}.{nameof(ApiKey)} cannot be blank; leave it null for a random key.");
        }

        if (MaxMembersPerGroup < 1 || MaxPageSize < 1)
        {
            throw new ArgumentException($"{nameof(AtlassianEmulatorOptions)}.{nameof(MaxMembersPerGroup)} and {nameof(MaxPageSize)} must be at least 1.");
        }
    }
}
