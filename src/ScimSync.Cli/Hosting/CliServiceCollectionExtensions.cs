using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ScimSync.Core;
using ScimSync.Core.Cycle;
using ScimSync.Core.Reconciliation;

namespace ScimSync.Cli.Hosting;

/// <summary>The CLI's composition: the whole Core engine (cycle, worker, reconciliation), with log messages on standard error.</summary>
public static class CliServiceCollectionExtensions
{
    public static IServiceCollection AddScimSyncCli(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddLogging(logging => logging
            .AddConfiguration(configuration.GetSection("Logging"))
            .AddSimpleConsole(console => console.SingleLine = true)
            .AddFilter("System.Net.Http", LogLevel.Warning)
            .Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(options => options.LogToStandardErrorThreshold = LogLevel.Trace));
        services.AddScimSyncCore(configuration);
        services.AddReconciliation();
        services.AddSyncCycle();
        return services;
    }
}
