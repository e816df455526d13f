using ScimSync.Emulators.Graph.Tenant;

namespace ScimSync.Emulators.Graph.Http;

/// <summary>What the endpoints share: the tenant, the options it started with and the runtime switches.</summary>
internal sealed record GraphEmulatorContext(GraphTenant Tenant, GraphEmulatorOptions Options, GraphControls Controls, string AccessToken)
{
    public TimeProvider Time => Options.TimeProvider;

    public ReplicaLag Replica { get; } = new(Options.ReplicaLagRequests, Tenant);
}
