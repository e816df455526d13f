using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using ScimSync.Core.Diagnostics;
using ScimSync.Core.Scim.Http;
using ScimSync.Core.Scim.Profiles;

namespace ScimSync.Core.Scim;

public static class ScimServiceCollectionExtensions
{
    /// <summary>
    /// Registers the SCIM client: <see cref="ScimClientOptions"/> bound from the <c>Scim</c> section and
    /// <see cref="ScaleOptions"/> from <c>Scale</c>, both validated at start, the profile registry, the token provider
    /// (configuration by default), and the <c>ScimSync.Scim</c> HTTP client: one standard resilience handler (per
    /// target host) outside the job's rate limiter, bearer token and per-attempt metrics.
    /// </summary>
    public static IServiceCollection AddScimClient(this IServiceCollection services, Action<ScimClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<ScimClientOptions>().BindConfiguration(ScimClientOptions.SectionName).ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ScimClientOptions>, ScimClientOptionsValidator>());
        services.AddOptions<ScaleOptions>().BindConfiguration(ScaleOptions.DefaultSectionPath).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ScaleOptions>>(new ScaleOptionsValidator(ScaleOptions.DefaultSectionPath)));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new ScimProfileRegistry(sp.GetServices<ScimTargetProfile>()));
        services.TryAddSingleton<IScimTokenProvider, ConfigurationScimTokenProvider>();
        services.TryAddSingleton<ScimRateLimiters>();
        services.TryAddSingleton<ScimClientFactory>();
        services.TryAddTransient<ScimRateLimitHandler>();
        services.TryAddTransient<BearerTokenHandler>();
        services.TryAddTransient<ScimTelemetryHandler>();
        services.AddScimSyncMetrics();

        var http = services.AddHttpClient(ScimClient.HttpClientName)
            .ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan)
            // A redirect would resend the request and its body to an address the job does not name: refused, with the address in the error.
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false })
            // The client logs paths without queries itself: filters carry user names and e-mail addresses.
            .RemoveAllLoggers();
        http.AddStandardResilienceHandler()
            .SelectPipelineByAuthority()
            .Configure((resilience, sp) => ConfigureResilience(resilience, sp.GetRequiredService<IOptions<ScimClientOptions>>().Value, sp.GetRequiredService<TimeProvider>()));
        http.AddHttpMessageHandler<ScimRateLimitHandler>()
            .AddHttpMessageHandler<BearerTokenHandler>()
            .AddHttpMessageHandler<ScimTelemetryHandler>();
        return services;
    }

    private static void ConfigureResilience(HttpStandardResilienceOptions resilience, ScimClientOptions options, TimeProvider time)
    {
        resilience.AttemptTimeout.Timeout = options.AttemptTimeout;
        resilience.TotalRequestTimeout.Timeout = options.TotalRequestTimeout;

        var retry = resilience.Retry;
        retry.MaxRetryAttempts = Math.Max(options.MaxRetryAttempts, 1);
        retry.BackoffType = DelayBackoffType.Exponential;
        retry.Delay = options.BaseRetryDelay;
        retry.MaxDelay = options.MaxRetryDelay;
        retry.UseJitter = options.UseJitter;
        retry.ShouldRetryAfterHeader = false;
        retry.ShouldHandle = args => ValueTask.FromResult(
            options.MaxRetryAttempts > 0
            && ScimRetryRules.ShouldRetry(args.Outcome, args.Context.GetRequestMessage(), time, options.MaxRetryDelay));
        retry.DelayGenerator = args => ValueTask.FromResult(
            args.Outcome.Result is { } response ? ScimRetryRules.ServerRequestedDelay(response, time) : null);

        // A throttled target is not a broken one: only server errors and missing answers open the circuit.
        var breaker = resilience.CircuitBreaker;
        breaker.ShouldHandle = args => ValueTask.FromResult(ScimRetryRules.IsServerFailure(args.Outcome));
        breaker.SamplingDuration = TimeSpan.FromTicks(Math.Max(TimeSpan.FromSeconds(30).Ticks, options.AttemptTimeout.Ticks * 2));
    }
}
