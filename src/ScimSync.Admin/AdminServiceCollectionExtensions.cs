using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using ScimSync.Admin.Handlers;
using ScimSync.Admin.Security;

namespace ScimSync.Admin;

/// <summary>Composition of the admin API for a host that has composed Core.</summary>
public static class AdminServiceCollectionExtensions
{
    /// <summary>
    /// Registers the admin handlers. This is all the Functions app needs: its function keys protect the endpoints,
    /// and each admin function calls one handler.
    /// </summary>
    public static IServiceCollection AddScimSyncAdmin(this IServiceCollection services)
    {
        services.TryAddTransient<StatusHandler>();
        services.TryAddTransient<StatusPageHandler>();
        services.TryAddTransient<LogsHandler>();
        services.TryAddTransient<PauseHandler>();
        services.TryAddTransient<ResumeHandler>();
        services.TryAddTransient<RestartHandler>();
        services.TryAddTransient<AllowDeletesHandler>();
        services.TryAddTransient<DismissDeletesHandler>();
        services.TryAddTransient<RetryHandler>();
        services.TryAddTransient<AuditHandler>();
        services.TryAddTransient<PlanHandler>();
        services.TryAddTransient<ProvisionHandler>();
        return services;
    }

    /// <summary>
    /// Registers the admin handlers and what <c>scimsync run</c>'s own server adds: its settings
    /// (<see cref="AdminServerOptions.SectionName"/>, validated at start-up, so serving without a key fails with the
    /// setting's name) and the admin key check.
    /// </summary>
    public static IServiceCollection AddScimSyncAdminServer(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddScimSyncAdmin();
        services.AddOptions<AdminServerOptions>().Bind(configuration.GetSection(AdminServerOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AdminServerOptions>, AdminServerOptionsValidator>());
        services.TryAddSingleton<AdminKey>();
        services.TryAddSingleton<AdminKeyFilter>();
        services.TryAddTransient<SignInHandler>();
        return services;
    }
}
