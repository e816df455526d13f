using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using ScimSync.Core.Diagnostics;

namespace ScimSync.Functions.Hosting;

internal static class TelemetryServiceCollectionExtensions
{
    /// <summary>The app setting that turns the export to Application Insights on.</summary>
    public const string ConnectionStringSetting = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    /// <summary>
    /// Exports the worker's logs, Core's traces (<c>scimsync.cycle</c>, <c>scimsync.work_item</c>) and Core's metrics
    /// to Application Insights through OpenTelemetry, when <see cref="ConnectionStringSetting"/> is set. Without it
    /// nothing is exported and the app still runs (locally, in tests).
    /// </summary>
    public static IServiceCollection AddScimSyncTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        if (string.IsNullOrWhiteSpace(configuration[ConnectionStringSetting]))
        {
            return services;
        }

        services.AddOpenTelemetry()
            .UseFunctionsWorkerDefaults()
            .WithTracing(tracing => tracing.AddSource(ScimSyncTelemetry.Name))
            .WithMetrics(metrics => metrics.AddMeter(ScimSyncTelemetry.Name))
            .UseAzureMonitorExporter(exporter => exporter.ConnectionString = configuration[ConnectionStringSetting]);
        return services;
    }
}
