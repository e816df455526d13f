using ScimSync.Emulators.Graph.Tenant;

namespace ScimSync.Emulators.Graph.Http;

/// <summary>What the endpoints share: the tenant, the options it started with and the runtime switches.</summary>
internal sealed record GraphEmulatorContext(GraphTenant Tenant, GraphEmulatorOptions Options, GraphControls Controls)
{
    public TimeProvider Time => Options.TimeProvider;
}
