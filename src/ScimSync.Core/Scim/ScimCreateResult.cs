namespace ScimSync.Core.Scim;

/// <summary>The resource a create ended with, and whether it was adopted (it existed already and was re-matched).</summary>
public sealed record ScimCreateResult(ScimResource Resource, bool Adopted);
