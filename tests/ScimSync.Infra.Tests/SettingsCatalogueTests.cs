using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ScimSync.Core;
using ScimSync.Core.Configuration;
using ScimSync.Core.Cycle;
using ScimSync.Infra.Tests.Infrastructure;

namespace ScimSync.Infra.Tests;

/// <summary>
/// local.settings.sample.json is the canonical list of the settings the app reads. Bicep must give the app in Azure
/// the same settings, except where a local run and Azure are told apart below, and both must cover what the app binds
/// and validates at start-up. A setting added to the app fails these tests until the sample and Bicep both have it.
/// </summary>
public sealed class SettingsCatalogueTests
{
    // Settings of a local run and what stands for each in Azure.
    private static readonly Dictionary<string, string[]> LocalOnly = new(StringComparer.Ordinal)
    {
        // Flex Consumption sets the worker runtime in functionAppConfig.runtime and refuses it as an app setting.
        ["FUNCTIONS_WORKER_RUNTIME"] = [],
        // Azurite's connection string; Azure connects with the managed identity instead.
        ["AzureWebJobsStorage"] = ["AzureWebJobsStorage__accountName", "AzureWebJobsStorage__credential", "AzureWebJobsStorage__clientId"],
        ["ScimSync__State__ConnectionString"] = ["ScimSync__State__TableServiceUri"],
        ["ScimSync__Queue__ConnectionString"] = ["ScimSync__Queue__QueueServiceUri"],
    };

    // Settings only Azure has, each with why a local run does without.
    private static readonly Dictionary<string, string> AzureOnly = new(StringComparer.Ordinal)
    {
        ["APPLICATIONINSIGHTS_CONNECTION_STRING"] = "a local run logs to the console",
        ["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"] = "telemetry is sent with the managed identity",
        ["ScimSync__Identity__ManagedIdentityClientId"] = "a local run signs in as the developer",
        ["ScimSync__Queue__ServiceBus__FullyQualifiedNamespace"] = "only with useServiceBus; a local run uses Azurite's queue",
        ["ScimSync__Queue__ServiceBus__QueueName"] = "only with useServiceBus",
        ["AzureFunctionsJobHost__extensions__queues__batchSize"] = "host.json holds the local value; Azure takes it from queueConcurrency",
        ["AzureFunctionsJobHost__extensions__queues__newBatchThreshold"] = "host.json's default; Azure caps concurrency at exactly queueConcurrency",
        ["AzureFunctionsJobHost__extensions__queues__maxDequeueCount"] = "host.json holds the local value; Azure takes it from maxDeliveryCount",
    };

    // Option sections whose defaults are right both locally and in Azure; a new section must be added to the
    // sample and Bicep, or here with the reason.
    private static readonly Dictionary<string, string> SectionsAtDefaults = new(StringComparer.OrdinalIgnoreCase)
    {
        ["ScimSync:Cycle"] = "lease, batch sizes and queue depth suit every host",
        ["ScimSync:Logs"] = "30 days, as Entra keeps them",
        ["ScimSync:Retention"] = "progress rows and poison records are kept for a bounded time",
        ["ScimSync:Scheduler"] = "scimsync run's tick; the Functions app ticks on SyncSchedule",
        ["ScimSync:Scim"] = "timeouts and retries; the rate is per job in the job file",
        ["ScimSync:Escrow"] = "Entra's retry schedule",
        ["ScimSync:Quarantine"] = "Entra's thresholds",
        ["ScimSync:Worker"] = "the in-process worker of scimsync; the Functions queue trigger has host.json",
    };

    public static TheoryData<string> SampleSettings() => new(AppSettings.Sample.Keys);

    public static TheoryData<string> BicepSettings() => new(AppSettings.Bicep);

    [Theory]
    [MemberData(nameof(SampleSettings))]
    public void Every_sample_setting_is_one_the_app_reads(string setting)
    {
        Assert.True(IsReadByTheApp(setting), $"local.settings.sample.json sets {setting}, which nothing in the app reads.");
    }

    [Theory]
    [MemberData(nameof(BicepSettings))]
    public void Every_setting_bicep_gives_the_app_is_one_the_app_reads(string setting)
    {
        Assert.True(IsReadByTheApp(setting), $"infra/app/function-app.bicep sets {setting}, which nothing in the app reads.");
    }

    [Fact]
    public void Bicep_declares_every_sample_setting_or_what_stands_for_it_in_Azure()
    {
        var missing = AppSettings.Sample.Keys
            .SelectMany(s => LocalOnly.TryGetValue(s, out var azure) ? azure : [s])
            .Where(s => !AppSettings.Bicep.Contains(s))
            .ToList();

        Assert.Empty(missing);
    }

    [Fact]
    public void The_sample_declares_every_bicep_setting_but_the_Azure_only_ones()
    {
        var standIns = LocalOnly.Values.SelectMany(v => v).ToHashSet(StringComparer.Ordinal);
        var missing = AppSettings.Bicep
            .Where(s => !AppSettings.Sample.ContainsKey(s) && !standIns.Contains(s) && !AzureOnly.ContainsKey(s))
            .ToList();

        Assert.Empty(missing);
    }

    [Fact]
    public void The_documented_exceptions_are_all_still_in_use()
    {
        Assert.All(LocalOnly.Keys, s => Assert.True(AppSettings.Sample.ContainsKey(s), $"{s} is listed as local-only but the sample no longer sets it."));
        Assert.All(LocalOnly.Values.SelectMany(v => v).Concat(AzureOnly.Keys), s => Assert.True(AppSettings.Bicep.Contains(s), $"{s} is listed for Azure but Bicep no longer sets it."));
        Assert.All(SectionsAtDefaults.Keys, s => Assert.True(AppSettings.OptionSections.ContainsKey(s), $"{s} is listed but the app binds no such section."));
    }

    [Fact]
    public void Every_option_section_the_app_binds_is_set_in_the_sample_and_in_bicep_or_documented_as_left_at_its_defaults()
    {
        var unaccounted = AppSettings.OptionSections.Keys
            .Where(section => !SectionsAtDefaults.ContainsKey(section))
            .SelectMany(section => new[]
            {
                HasSection(AppSettings.Sample.Keys, section) || HasSection(AzureOnly.Keys, section) ? null : $"sample: {section}",
                HasSection(AppSettings.Bicep, section) ? null : $"bicep: {section}",
            })
            .OfType<string>()
            .ToList();

        Assert.Empty(unaccounted);
    }

    [Fact]
    public void Every_setting_a_Functions_trigger_binds_is_in_the_sample_and_in_bicep()
    {
        var missing = AppSettings.FunctionsBindingSettings
            .Where(s => !(Declares(AppSettings.Sample.Keys, s) || Declares(AzureOnly.Keys, s)) || !Declares(AppSettings.Bicep, s))
            .ToList();

        Assert.Empty(missing);
    }

    [Fact]
    public void The_token_settings_azd_fills_are_the_ones_the_sample_job_names()
    {
        Assert.Equal(AppSettings.SampleJobTokenSettings.Order(), AppSettings.ParameterTokenSettings.Order());
        Assert.All(AppSettings.SampleJobTokenSettings, s => Assert.True(AppSettings.Sample.ContainsKey(s), $"the sample has no {s}"));
    }

    [Fact]
    public void The_sample_settings_pass_the_apps_start_up_validation()
    {
        var values = AppSettings.Sample.ToDictionary(p => AppSettings.PathOf(p.Key), p => (string?)p.Value, StringComparer.OrdinalIgnoreCase);
        values[ScimSyncCoreServiceCollectionExtensions.JobsFileSetting] =
            Path.GetFullPath(Path.Combine(Repository.PathOf("src", "ScimSync.Functions"), AppSettings.Sample["ScimSync__JobsFile"]));
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddScimSyncEngine(configuration);
        using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<IStartupValidator>().Validate();
        Assert.NotEmpty(provider.GetRequiredService<JobCatalog>().Jobs);
    }

    [Fact]
    public void The_sample_names_the_runtime_the_plan_runs()
    {
        var runtime = CompiledTemplate.MainTemplate.Single("Microsoft.Web/sites").Properties["functionAppConfig"]!["runtime"]!;

        Assert.Equal(AppSettings.Sample["FUNCTIONS_WORKER_RUNTIME"], runtime["name"]!.GetValue<string>());
    }

    private static bool IsReadByTheApp(string setting) =>
        AppSettings.OptionPaths.Contains(AppSettings.PathOf(setting))
        || Declares(AppSettings.FunctionsBindingSettings, setting)
        || HostSettings.Contains(setting)
        || setting.StartsWith("AzureWebJobsStorage__", StringComparison.Ordinal)
        || AppSettings.IsHostJsonOverride(setting)
        || AppSettings.SampleJobTokenSettings.Contains(setting)
        || AppSettings.ParameterTokenSettings.Contains(setting)
        || TriggerSchedules.Contains(setting);

    // Read by the Functions host itself.
    private static readonly HashSet<string> HostSettings = new(StringComparer.Ordinal)
    {
        "AzureWebJobsStorage", "FUNCTIONS_WORKER_RUNTIME", "APPLICATIONINSIGHTS_CONNECTION_STRING", "APPLICATIONINSIGHTS_AUTHENTICATION_STRING",
    };

    // The timer triggers' schedules (%SyncSchedule%, %CleanupSchedule%), declared before the triggers that bind them.
    private static readonly HashSet<string> TriggerSchedules = new(StringComparer.Ordinal) { "SyncSchedule", "CleanupSchedule" };

    private static bool Declares(IEnumerable<string> settings, string setting) =>
        settings.Select(AppSettings.PathOf).Any(s => string.Equals(s, AppSettings.PathOf(setting), StringComparison.OrdinalIgnoreCase)
            || s.StartsWith(AppSettings.PathOf(setting) + ":", StringComparison.OrdinalIgnoreCase));

    private static bool HasSection(IEnumerable<string> settings, string section) =>
        settings.Select(AppSettings.PathOf).Any(p => p.StartsWith(section + ":", StringComparison.OrdinalIgnoreCase));
}
