namespace ScimSync.Emulators.Graph.Tenant;

/// <summary>What kind of admin request the tenant refused; the admin HTTP API maps it to a status code.</summary>
public enum GraphTenantError
{
    NotFound,
    Conflict,
    Invalid,
}

/// <summary>An admin change the tenant cannot make, with a message that says why.</summary>
public sealed class GraphTenantException(GraphTenantError error, string message) : Exception(message)
{
    public GraphTenantError Error { get; } = error;
}
