namespace ScimSync.Emulators.Atlassian;

/// <summary>One value of a multi-valued attribute (an email or a phone number).</summary>
public sealed record AtlassianMultiValue(string Value, string? Type = null, bool Primary = false);
