using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ScimSync.Core.Scoping;

/// <summary>DI registration of scoping.</summary>
public static class ScopingServiceCollectionExtensions
{
    /// <summary>
    /// Registers the in-memory assignment snapshot store unless a durable <see cref="IAssignmentSnapshotStore"/> is
    /// registered already. <see cref="ScopeEvaluator"/> is built per job from its <see cref="ScopeDefinition"/> and the
    /// job's <see cref="IMembershipGraph"/>, so it is not a container service.
    /// </summary>
    public static IServiceCollection AddScoping(this IServiceCollection services)
    {
        services.TryAddSingleton<IAssignmentSnapshotStore, InMemoryAssignmentSnapshotStore>();
        return services;
    }
}
