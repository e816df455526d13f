using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ScimSync.Core;

namespace ScimSync.Cli.Hosting;

/// <summary>The CLI's composition: the Core engine, with log messages on standard error.</summary>
public static class CliServiceCollectionExtensions
{
    public static IServiceCollection AddScimSyncCli(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddLogging(logging => logging
            .AddConfiguration(configuration.GetSection("Logging"))
            .AddSimpleConsole(console => console.SingleLine = true)
            .AddFilter("System.Net.Http", LogLevel.Warning)
            .Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(options => options.LogToStandardErrorThreshold = LogLevel.Trace));
        services.AddScimSyncEngine(configuration);
        return services;
    }
}
