using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Graph;

namespace ScimSync.Core.Directory;

/// <summary>DI registration of the Graph directory source.</summary>
public static class DirectoryServiceCollectionExtensions
{
    /// <summary>
    /// Registers one <see cref="GraphServiceClient"/> for the source, the <see cref="GraphDirectoryReader"/> and the
    /// <see cref="GraphAssignmentReader"/>. The options are set by <paramref name="configure"/> (bind them from the job's
    /// source section and app settings) and validated at start-up; errors name the setting under
    /// <paramref name="settingPath"/> (e.g. <c>jobs[0].source</c>).
    /// </summary>
    public static IServiceCollection AddGraphDirectorySource(this IServiceCollection services, Action<GraphSourceOptions> configure, string settingPath = "source")
    {
        services.AddOptions<GraphSourceOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GraphSourceOptions>>(new GraphSourceOptionsValidator(settingPath)));
        services.TryAddSingleton(sp => GraphClientBuilder.Build(sp.GetRequiredService<IOptions<GraphSourceOptions>>().Value));
        services.TryAddSingleton(sp => new GraphDirectoryReader(sp.GetRequiredService<GraphServiceClient>(), sp.GetRequiredService<ILogger<GraphDirectoryReader>>()));
        services.TryAddSingleton(sp => new GraphAssignmentReader(sp.GetRequiredService<GraphServiceClient>(), sp.GetRequiredService<ILogger<GraphAssignmentReader>>()));
        return services;
    }

    private sealed class GraphSourceOptionsValidator(string settingPath) : IValidateOptions<GraphSourceOptions>
    {
        public ValidateOptionsResult Validate(string? name, GraphSourceOptions options)
        {
            var errors = options.Validate(settingPath);
            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
        }
    }
}
