using Azure.Storage.Queues.Models;
using Microsoft.Azure.Functions.Worker;
using ScimSync.Emulators.Atlassian;
using ScimSync.Emulators.Graph.Seeding;
using ScimSync.Emulators.Graph.Tenant;
using ScimSync.Functions.Sync;
using ScimSync.Functions.Work;

namespace ScimSync.Functions.Tests.Hosting;

/// <summary>The steps the Functions host takes for the app, as tests drive them.</summary>
internal static class AppScenario
{
    /// <summary>A tenant whose <paramref name="count"/> users are assigned to the app.</summary>
    public static (DirectorySeed Seed, IReadOnlyList<string> Users) AssignedUsers(int count)
    {
        var seed = new DirectorySeedBuilder();
        var users = seed.AddUsers(count);
        foreach (var user in users)
        {
            seed.Assign(user, ObjectType.User);
        }

        return (seed.Build(), users);
    }

    /// <summary>One tick of the sync timer.</summary>
    public static Task TickAsync(this FunctionsAppHarness app) =>
        app.Function<SyncCycleFunction>().RunAsync(new TimerInfo(), CancellationToken.None);

    /// <summary>The host delivering the work queue to the queue trigger until it is empty.</summary>
    public static Task<int> DeliverWorkAsync(this FunctionsAppHarness app, TimeSpan? patience = null) =>
        app.Host.DeliverAsync(app.Host.WorkQueue, message => app.Function<ProvisionObjectFunction>().RunAsync(message, CancellationToken.None), patience ?? TimeSpan.FromSeconds(20));

    /// <summary>The host delivering the poison queue to the poison handler.</summary>
    public static Task<int> DeliverPoisonAsync(this FunctionsAppHarness app) =>
        app.Host.DeliverAsync(app.Host.PoisonQueue, message => app.Function<PoisonWorkItemFunction>().RunAsync(message, CancellationToken.None), TimeSpan.Zero);

    /// <summary>The Atlassian user of a source user, found by its user principal name.</summary>
    public static AtlassianUser? AtlassianUserOf(this FunctionsAppHarness app, string sourceId)
    {
        var upn = app.Graph.Snapshot().ActiveUsers.Single(u => u.Id == sourceId).Properties["userPrincipalName"].GetString()!;
        return app.Atlassian.State.FindUserByUserName(upn);
    }

    public static async Task<IReadOnlyList<PeekedMessage>> PeekAllAsync(this Azure.Storage.Queues.QueueClient queue) =>
        (await queue.PeekMessagesAsync(32)).Value;
}
