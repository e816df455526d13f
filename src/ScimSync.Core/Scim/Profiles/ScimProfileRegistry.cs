namespace ScimSync.Core.Scim.Profiles;

/// <summary>Target profiles by name (case-insensitive): the shipped ones plus any registered in DI.</summary>
public sealed class ScimProfileRegistry
{
    private readonly Dictionary<string, ScimTargetProfile> _profiles = new(StringComparer.OrdinalIgnoreCase);

    public ScimProfileRegistry(IEnumerable<ScimTargetProfile>? additional = null)
    {
        foreach (var profile in new[] { ScimTargetProfiles.AtlassianCloud, ScimTargetProfiles.GenericScim }.Concat(additional ?? []))
        {
            _profiles[profile.Name] = profile;
        }
    }

    public IEnumerable<string> Names => _profiles.Keys.Order(StringComparer.OrdinalIgnoreCase);

    public bool TryGet(string name, out ScimTargetProfile profile) => _profiles.TryGetValue(name, out profile!);

    /// <summary>The named profile; an unknown name fails with the list of known ones.</summary>
    public ScimTargetProfile Get(string name) =>
        TryGet(name, out var profile)
            ? profile
            : throw new KeyNotFoundException($"Unknown SCIM target profile '{name}'. Known profiles: {string.Join(", ", Names)}.");
}
