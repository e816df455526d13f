using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ScimSync.Emulators.Faults;

/// <summary>Adds fault injection and request counting to an emulator's pipeline.</summary>
public static class FaultInjectionExtensions
{
    /// <summary>
    /// Applies <paramref name="faults"/> to every request and counts it in <paramref name="counters"/>. Call it after
    /// <c>UseRouting()</c> so requests are counted by route pattern, and before authentication, as a gateway in front of
    /// the service would answer throttled requests before the service checks credentials.
    /// </summary>
    public static IApplicationBuilder UseFaultInjection(
        this IApplicationBuilder app,
        FaultSettings faults,
        RequestCounters counters,
        Action<FaultInjectionOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(faults);
        ArgumentNullException.ThrowIfNull(counters);
        var options = new FaultInjectionOptions();
        configure?.Invoke(options);
        var lifetime = app.ApplicationServices.GetRequiredService<IHostApplicationLifetime>();
        return app.UseMiddleware<FaultInjectionMiddleware>(faults, counters, options, lifetime);
    }
}
