using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ScimSync.Core.Identity;
using ScimSync.Core.Scim;

namespace ScimSync.IntegrationTests.Scim;

/// <summary>The SCIM client as the hosts compose it (AddScimClient), with the token in an app setting and short waits.</summary>
internal sealed class ScimTestHost : IAsyncDisposable, IDisposable
{
    public const string TokenSetting = "TestScimToken";

    private readonly ServiceProvider _services;

    public ScimTestHost(string token, Action<ScimClientOptions>? configure = null, IScimTokenProvider? tokens = null)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [TokenSetting] = token })
            .Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        if (tokens is not null)
        {
            services.AddSingleton(tokens);
        }

        services.AddScimClient(options =>
        {
            options.AttemptTimeout = TimeSpan.FromSeconds(10);
            options.TotalRequestTimeout = TimeSpan.FromSeconds(60);
            options.BaseRetryDelay = TimeSpan.FromMilliseconds(20);
            options.MaxRetryDelay = TimeSpan.FromSeconds(5);
            options.UseJitter = false;
            configure?.Invoke(options);
        });
        _services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        Factory = _services.GetRequiredService<ScimClientFactory>();
    }

    public ScimClientFactory Factory { get; }

    public ScimClient Client(Uri baseUrl, string profile, IEnumerable<string>? verifiedDomains = null, double requestsPerSecond = 1000, string tokenSetting = TokenSetting) =>
        Factory.Create(new JobId("job-" + Guid.NewGuid().ToString("N")[..8]), new ScimTargetOptions
        {
            BaseUrl = baseUrl,
            Profile = profile,
            TokenSetting = tokenSetting,
            VerifiedDomains = (verifiedDomains ?? ["example.com"]).ToList(),
            RequestsPerSecond = requestsPerSecond,
            AllowInsecureLoopback = true,
        });

    public ValueTask DisposeAsync() => _services.DisposeAsync();

    public void Dispose() => _services.Dispose();
}
