using System.Collections.Concurrent;
using System.Text.Json;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ScimSync.Core;
using ScimSync.Core.Configuration;
using ScimSync.Core.Directory;
using ScimSync.Core.Identity;
using ScimSync.Core.Logging;
using ScimSync.Core.Queueing;
using ScimSync.Core.Reconciliation;
using ScimSync.Core.Scim;
using ScimSync.Core.Scim.Profiles;
using ScimSync.Core.State;
using ScimSync.Core.State.Memberships;
using ScimSync.Core.State.Objects;
using ScimSync.Core.State.Progress;
using ScimSync.Emulators.Atlassian;
using ScimSync.IntegrationTests.Infrastructure;

namespace ScimSync.IntegrationTests.Reconciliation;

/// <summary>
/// Core composed as a host composes it (AddScimSyncEngine) over Azurite with fresh tables, and a
/// job file with three jobs against the Atlassian emulator: <see cref="Job"/> (defaults), <see cref="ExternalIdJob"/>
/// (matching on externalId first) and <see cref="DeletingJob"/> (deletes objects hard-deleted in the source).
/// Every SCIM request body is recorded in <see cref="Requests"/>.
/// </summary>
internal sealed class ReconciliationHost
{
    public static readonly JobId Job = new("atlassian");
    public static readonly JobId ExternalIdJob = new("atlassian-externalid");
    public static readonly JobId DeletingJob = new("atlassian-delete");
    public static readonly JobId WrongKeyJob = new("atlassian-wrong-key");
    public static readonly JobId ExtraAttributesJob = new("atlassian-extra");
    public static readonly JobId DateMappingJob = new("atlassian-dates");
    public static readonly JobId TinyGroupsJob = new("tiny-groups");

    /// <summary>Atlassian's rules with room for only three members per group, to reach the limit with few users.</summary>
    public static readonly ScimTargetProfile TinyGroups = ScimTargetProfiles.AtlassianCloud with { Name = "tiny-groups", MaxGroupMembers = 3 };

    private readonly ServiceProvider _services;
    private readonly string _jobFile;
    private int _cycle;

    public ReconciliationHost(AzuriteFixture azurite, AtlassianScimEmulator emulator)
    {
        Emulator = emulator;
        _jobFile = Path.Combine(Path.GetTempPath(), $"scimsync-jobs-{Guid.NewGuid():N}.json");
        File.WriteAllText(_jobFile, JobFile(new Uri(emulator.BaseUrl)));
        var prefix = "R" + Guid.NewGuid().ToString("N")[..12];
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [ScimSyncCoreServiceCollectionExtensions.JobsFileSetting] = _jobFile,
            ["ScimSync:State:ConnectionString"] = azurite.ConnectionString,
            ["ScimSync:State:TablePrefix"] = prefix,
            ["AtlassianScimToken"] = emulator.ApiKey,
            ["WrongScimToken"] = "not-the-directory-key",
        }).AddInMemoryCollection(FastScimClientSettings.All).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(TinyGroups);
        services.AddScimSyncEngine(configuration);
        var tableOptions = new TableClientOptions();
        tableOptions.AddPolicy(new StateRequestRecorder(StateRequests), HttpPipelinePosition.PerCall);
        services.AddSingleton(new StateTables(new TableServiceClient(azurite.ConnectionString, tableOptions), prefix));
        services.AddHttpClient(ScimClient.HttpClientName).AddHttpMessageHandler(() => new RecordingHandler(this));
        _services = services.BuildServiceProvider();
    }

    public AtlassianScimEmulator Emulator { get; }

    /// <summary>Runs before each SCIM request is sent: lets a test change the target between two requests.</summary>
    public Func<HttpRequestMessage, Task>? BeforeSend { get; set; }

    /// <summary>Every request sent to the state tables, in order: method and path (the table, and the keys of a point read or write).</summary>
    public ConcurrentQueue<string> StateRequests { get; } = new();

    /// <summary>Every SCIM request sent, in order: method, path and body.</summary>
    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    public IWorkItemProcessor Processor => _services.GetRequiredService<IWorkItemProcessor>();

    public IWorkItemPlanner Planner => _services.GetRequiredService<IWorkItemPlanner>();

    public ObjectStateStore Objects => _services.GetRequiredService<ObjectStateStore>();

    public MembershipStore Memberships => _services.GetRequiredService<MembershipStore>();

    public ProgressStore Progress => _services.GetRequiredService<ProgressStore>();

    public ProvisioningLogStore Logs => _services.GetRequiredService<ProvisioningLogStore>();

    /// <summary>A processor of its own, as a second worker process would have (its own SCIM client and discovery).</summary>
    public IWorkItemProcessor NewProcessor() => ActivatorUtilities.CreateInstance<WorkItemProcessor>(
        _services, ActivatorUtilities.CreateInstance<JobScimClients>(_services));

    /// <summary>Runs discovery for the job, then forgets every request and counter so far.</summary>
    public async Task WarmUpAsync(JobId? job = null)
    {
        var catalog = _services.GetRequiredService<JobCatalog>();
        await _services.GetRequiredService<JobScimClients>().GetAsync(catalog.Get(job ?? Job));
        ForgetRequests();
    }

    public void ForgetRequests()
    {
        Requests.Clear();
        Emulator.Counters.Reset();
    }

    public string NextCycle() => "cycle-" + Interlocked.Increment(ref _cycle);

    public WorkItem Upsert(SourceObject source, JobId? job = null) =>
        WorkItem.Upsert(job ?? Job, NextCycle(), source, DateTimeOffset.UtcNow);

    public WorkItem Deprovision(SourceObject source, JobId? job = null) =>
        WorkItem.Deprovision(job ?? Job, NextCycle(), source.Kind, source.Id, source, DateTimeOffset.UtcNow);

    public WorkItem Delete(SourceObject source, JobId? job = null) =>
        WorkItem.Delete(job ?? Job, NextCycle(), source.Kind, source.Id, DateTimeOffset.UtcNow);

    public WorkItem Members(
        SourceId group, IEnumerable<SourceId> add, IEnumerable<SourceId> remove, JobId? job = null, int? desiredMemberCount = null, int slice = 0, int slices = 1) =>
        WorkItem.ForMembershipChunk(job ?? Job, NextCycle(),
            new MembershipChunk(group, slice, slices,
                add.Select(id => new MemberReference(id, ObjectKind.User)).ToList(),
                remove.Select(id => new MemberReference(id, ObjectKind.User)).ToList(),
                desiredMemberCount),
            DateTimeOffset.UtcNow);

    /// <summary>The one provisioning log entry written for a work item.</summary>
    public async Task<ProvisioningLogEntry> LogOfAsync(WorkItem item)
    {
        var page = await Logs.QueryAsync(new ProvisioningLogQuery(item.Job) { CycleId = item.CycleId, From = DateTimeOffset.UtcNow.AddHours(-1), To = DateTimeOffset.UtcNow.AddMinutes(1) });
        return Assert.Single(page.Entries, entry => entry.ChangeId == item.Id);
    }

    public async Task<ObjectState> StateOfAsync(SourceObject source, JobId? job = null) =>
        (await Objects.GetAsync(job ?? Job, source.Kind, source.Id))?.Value ?? throw new InvalidOperationException($"No state for {source.Id}.");

    public static SourceObject User(string id, string userPrincipalName, string givenName = "Ada", string surname = "Lovelace", string? mail = null, string? jobTitle = "Engineer", bool softDeleted = false) =>
        SourceObject.Create(new SourceId(id), ObjectKind.User, new Dictionary<string, JsonElement>
        {
            ["id"] = Json(id),
            ["userPrincipalName"] = Json(userPrincipalName),
            ["givenName"] = Json(givenName),
            ["surname"] = Json(surname),
            ["displayName"] = Json($"{givenName} {surname}"),
            ["mail"] = Json(mail ?? userPrincipalName),
            ["jobTitle"] = Json(jobTitle),
            ["department"] = Json("Research"),
            ["IsSoftDeleted"] = JsonSerializer.SerializeToElement(softDeleted),
        });

    public static SourceObject Group(string id, string displayName) =>
        SourceObject.Create(new SourceId(id), ObjectKind.Group, new Dictionary<string, JsonElement>
        {
            ["id"] = Json(id),
            ["displayName"] = Json(displayName),
        });

    /// <summary>Stops the services and removes the job file (the test class owns the host for one test).</summary>
    public async Task StopAsync()
    {
        await _services.DisposeAsync();
        File.Delete(_jobFile);
    }

    private static JsonElement Json(string? value) => JsonSerializer.SerializeToElement(value);

    private sealed class StateRequestRecorder(ConcurrentQueue<string> requests) : HttpPipelineSynchronousPolicy
    {
        public override void OnSendingRequest(HttpMessage message) =>
            requests.Enqueue($"{message.Request.Method} {Uri.UnescapeDataString(message.Request.Uri.Path)}{Uri.UnescapeDataString(message.Request.Uri.Query)}");
    }

    private static string JobFile(Uri baseUrl)
    {
        string Target(string profile = "atlassian-cloud") => $$"""
            "source": { "credential": "ManagedIdentity" },
            "target": { "profile": "{{profile}}", "baseUrl": "{{baseUrl}}", "tokenSetting": "AtlassianScimToken",
                        "verifiedDomains": ["example.com"], "allowInsecureLoopback": true },
            "scope": { "mode": "assigned", "servicePrincipalId": "11111111-1111-1111-1111-111111111111" }
            """;
        return $$"""
            {
              "jobs": [
                { "id": "{{Job}}", {{Target()}} },
                { "id": "{{ExternalIdJob}}", {{Target()}},
                  "mappings": { "users": [
                    { "target": "externalId", "source": "id", "matching": true, "matchingPrecedence": 1 },
                    { "target": "userName", "source": "userPrincipalName", "matching": true, "matchingPrecedence": 2 }
                  ] } },
                { "id": "{{DeletingJob}}", {{Target()}}, "policy": { "deprovision": "deleteWhenHardDeleted" } },
                { "id": "{{ExtraAttributesJob}}", {{Target()}},
                  "mappings": { "users": [
                    { "target": "profileUrl", "kind": "constant", "constant": "https://people.example.com/ada" },
                    { "target": "nickName", "kind": "expression", "expression": "Redact([jobTitle])" }
                  ] } },
                { "id": "{{DateMappingJob}}", {{Target()}},
                  "mappings": { "users": [ { "target": "nickName", "kind": "expression", "expression": "CDate([jobTitle])" } ] } },
                { "id": "{{TinyGroupsJob}}", {{Target(TinyGroups.Name)}},
                  "mappings": { "replaceDefaults": true,
                    "users": [
                      { "target": "userName", "source": "userPrincipalName", "matching": true, "matchingPrecedence": 1 },
                      { "target": "emails[type eq \"work\"].value", "source": "userPrincipalName" },
                      { "target": "emails[type eq \"work\"].primary", "kind": "constant", "constant": "True" }
                    ],
                    "groups": [
                      { "target": "displayName", "source": "displayName", "matching": true, "matchingPrecedence": 1 },
                      { "target": "members", "source": "members" }
                    ] } },
                { "id": "{{WrongKeyJob}}", {{Target().Replace("\"AtlassianScimToken\"", "\"WrongScimToken\"", StringComparison.Ordinal)}} }
              ]
            }
            """;
    }

    /// <summary>A SCIM request as sent.</summary>
    internal sealed record RecordedRequest(string Method, string Path, string? Body);

    private sealed class RecordingHandler(ReconciliationHost host) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
            host.Requests.Enqueue(new RecordedRequest(request.Method.Method, request.RequestUri!.AbsolutePath, body));
            if (host.BeforeSend is { } before)
            {
                await before(request);
            }

            return await base.SendAsync(request, cancellationToken);
        }
    }
}
