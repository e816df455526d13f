using System.Text.Json.Nodes;
using ScimSync.Core.Cycle;
using ScimSync.Emulators.Graph;
using ScimSync.Emulators.Graph.Seeding;
using ScimSync.Emulators.Graph.Tenant;
using ScimSync.IntegrationTests.Infrastructure;

namespace ScimSync.IntegrationTests.Convergence;

/// <summary>
/// Graph may send an updated object as its id plus only the changed properties (graph-delta.md §2). An absent property
/// must never reach the target as a removal (docs/decisions/004-partial-delta-objects.md).
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class PartialDeltaObjectsTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task With_partial_objects_one_changed_attribute_per_user_is_the_only_attribute_sent_and_nothing_is_blanked_across_1000_users()
    {
        var seed = new DirectorySeedBuilder();
        var users = seed.AddUsers(1_000);
        foreach (var user in users)
        {
            seed.Assign(user, ObjectType.User);
        }

        await using var host = await ConvergenceHost.StartAsync(azurite, seed.Build(), new GraphEmulatorOptions { SendChangedPropertiesOnly = true });

        // A mail apart from the UPN: the work email maps from Coalesce([mail], [userPrincipalName]), so a partial object
        // with only a new UPN would turn the email into the UPN.
        foreach (var (user, index) in users.Select((user, index) => (user, index)))
        {
            host.Tenant.UpdateUser(user, "mail", $"person{index}.mail@contoso.com");
        }

        await host.SyncAsync();
        host.AssertConverged();

        var random = new Random(20_261_129);
        var attributes = ConvergenceHost.MappedAttributes.Keys.Append("userPrincipalName").ToArray();
        var changed = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase); // userName -> SCIM path
        foreach (var (user, index) in users.Select((user, index) => (user, index)))
        {
            if (random.NextDouble() >= 0.3)
            {
                continue;
            }

            var attribute = attributes[random.Next(attributes.Length)];
            var value = attribute == "userPrincipalName" ? $"renamed{index}@contoso.com" : $"{attribute} {index} changed";
            host.Tenant.UpdateUser(user, attribute, value);
            var upn = ConvergenceHost.Upn(host.Tenant.Snapshot().Users.Single(u => u.Id == user));
            changed[upn] = attribute == "userPrincipalName" ? "userName" : ConvergenceHost.MappedAttributes[attribute];
        }

        host.Atlassian.Journal.Clear();
        host.Atlassian.Counters.Reset();
        var deltaRequests = host.Harness.Graph.DeltaRequests(ObjectType.User);
        var report = await host.SyncAsync();

        Assert.Equal(CycleStatus.Completed, report.Status);
        Assert.InRange(changed.Count, 250, 350);
        var patches = host.Atlassian.Journal.Find("PATCH", "/Users/");
        Assert.Equal(changed.Count, patches.Count);
        Assert.Equal(patches.Count, host.Atlassian.Counters.Total);
        foreach (var patch in patches)
        {
            var target = host.Atlassian.State.FindUser(patch.Path["/Users/".Length..])!;
            Assert.Equal([changed[target.UserName]], PathsOf(patch.Body));
        }

        host.AssertConverged();

        // The round itself plus the reads by id, 50 objects each, of the partial objects Graph sent.
        Assert.True(host.Harness.Graph.DeltaRequests(ObjectType.User) - deltaRequests >= 1 + changed.Count / 50);
    }

    /// <summary>The attribute paths a PATCH body touches: each operation's path, or the keys of a pathless value.</summary>
    private static List<string> PathsOf(string body)
    {
        var operations = JsonNode.Parse(body)!["Operations"]!.AsArray();
        var paths = new List<string>();
        foreach (var operation in operations)
        {
            if (operation!["path"]?.GetValue<string>() is { } path)
            {
                paths.Add(path);
            }
            else
            {
                paths.AddRange(operation["value"]!.AsObject().Select(property => property.Key));
            }
        }

        return paths;
    }
}
