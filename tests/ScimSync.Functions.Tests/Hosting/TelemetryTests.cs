using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using ScimSync.Core.Diagnostics;
using ScimSync.Functions.Hosting;

namespace ScimSync.Functions.Tests.Hosting;

public sealed class TelemetryTests
{
    [Fact]
    public void With_an_Application_Insights_connection_string_the_app_exports_Cores_traces_and_metrics()
    {
        // A loopback ingestion endpoint where nothing listens: the export fails quietly, the wiring is what is tested.
        using var provider = Compose("InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=http://127.0.0.1:9/");
        Assert.NotNull(provider.GetService<TracerProvider>());
        Assert.NotNull(provider.GetService<MeterProvider>());

        using var source = new ActivitySource(ScimSyncTelemetry.Name);
        using var meter = new Meter(ScimSyncTelemetry.Name);
        var counter = meter.CreateCounter<long>("scimsync.probe");

        Assert.True(source.HasListeners());
        Assert.True(counter.Enabled);
    }

    [Fact]
    public void Without_the_connection_string_nothing_is_exported()
    {
        using var provider = Compose(null);

        Assert.Null(provider.GetService<TracerProvider>());
        Assert.Null(provider.GetService<MeterProvider>());
    }

    private static ServiceProvider Compose(string? connectionString)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [TelemetryServiceCollectionExtensions.ConnectionStringSetting] = connectionString })
            .Build();
        var services = new ServiceCollection().AddLogging();
        services.AddScimSyncTelemetry(configuration);
        var provider = services.BuildServiceProvider();
        // Resolving the providers starts them, as the host does at start-up.
        provider.GetService<TracerProvider>();
        provider.GetService<MeterProvider>();
        return provider;
    }
}
