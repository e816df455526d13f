using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ScimSync.Core.Cycle;
using ScimSync.Core.Directory;
using ScimSync.Core.Logging;
using ScimSync.Core.Reconciliation;
using ScimSync.Core.Scim;
using ScimSync.Core.Worker;
using ScimSync.Emulators.Atlassian;
using ScimSync.Emulators.Graph.Seeding;
using ScimSync.Emulators.Graph.Tenant;
using ScimSync.IntegrationTests.Cycle;
using ScimSync.IntegrationTests.Emulators.Atlassian;
using ScimSync.IntegrationTests.Infrastructure;

namespace ScimSync.IntegrationTests.Reliability;

/// <summary>
/// Directory data an admin did not expect, through whole cycles against the Atlassian emulator: each bad object gets
/// its own clear log entry, and every other user of the same sync is provisioned exactly, as the target shows.
/// </summary>
[Collection(AzuriteCollection.Name)]
[Trait("Category", "Reliability")]
public sealed class BadInputTests(AzuriteFixture azurite) : IAsyncLifetime
{
    // userName from mail, the usual choice when UPNs are not the addresses people sign in to the app with.
    private static readonly JsonObject UserNameFromMail = new()
    {
        ["users"] = new JsonArray(new JsonObject { ["target"] = "userName", ["source"] = "mail", ["matching"] = true, ["matchingPrecedence"] = 1 }),
    };

    private AtlassianScimEmulator _atlassian = null!;

    public async Task InitializeAsync() => _atlassian = await AtlassianScimEmulator.StartAsync();

    public async Task DisposeAsync() => await _atlassian.DisposeAsync();

    [Fact]
    public async Task Users_without_the_attribute_userName_is_mapped_from_are_skipped_with_the_reason_and_the_rest_are_provisioned()
    {
        var (seed, users) = Assigned(20);
        await using var harness = await StartAsync(seed, mappings: UserNameFromMail);
        var withoutMail = users.Take(3).ToList();
        foreach (var user in withoutMail)
        {
            harness.Graph.Tenant.UpdateUser(user, "mail", null);
        }

        var report = await SyncAsync(harness);

        Assert.Equal(CycleStatus.Completed, report.Status);
        Assert.Equal(ExpectedUserNames(harness, users.Skip(3)), TargetUserNames());
        var skipped = await EntriesAsync(harness, ProvisioningStatus.Skipped);
        foreach (var user in withoutMail)
        {
            var entry = Assert.Single(skipped, entry => entry.SourceIdentity.Id == user);
            Assert.Equal("ImportSkipped", entry.Error?.ErrorCode);
            Assert.Contains("no value for any matching attribute (userName)", entry.Error?.Reason, StringComparison.Ordinal);
        }

        Assert.Empty(await EntriesAsync(harness, ProvisioningStatus.Failure));
    }

    [Fact]
    public async Task Users_without_mail_get_their_user_principal_name_as_email_with_the_default_mappings()
    {
        var (seed, users) = Assigned(10);
        await using var harness = await StartAsync(seed);
        harness.Graph.Tenant.UpdateUser(users[0], "mail", null);

        await SyncAsync(harness);

        Assert.Equal(ExpectedUserNames(harness, users), TargetUserNames());
        var noMail = _atlassian.State.FindUserByUserName(Upn(harness, users[0]))!;
        Assert.Equal(Upn(harness, users[0]), noMail.PrimaryEmail);
    }

    [Fact]
    public async Task Two_users_that_map_to_the_same_userName_in_one_sync_get_one_account_and_the_other_is_refused_with_the_reason()
    {
        var (seed, users) = Assigned(20);
        await using var harness = await StartAsync(seed, mappings: UserNameFromMail);
        harness.Graph.Tenant.UpdateUser(users[0], new Dictionary<string, object?> { ["mail"] = "shared@contoso.com", ["displayName"] = "First Holder" });
        harness.Graph.Tenant.UpdateUser(users[1], new Dictionary<string, object?> { ["mail"] = "shared@contoso.com", ["displayName"] = "Second Holder" });

        await SyncAsync(harness);
        harness.Clock.Advance(TimeSpan.FromHours(1));
        await SyncAsync(harness);

        var shared = Assert.Single(_atlassian.State.LiveUsers, user => user.UserName == "shared@contoso.com");
        var owner = shared.ExternalId == users[0] ? 0 : 1;
        Assert.Equal(users[owner], shared.ExternalId);
        Assert.Equal(owner == 0 ? "First Holder" : "Second Holder", shared.DisplayName);
        var refused = users[1 - owner];
        var failures = await EntriesAsync(harness, ProvisioningStatus.Failure);
        Assert.NotEmpty(failures);
        Assert.All(failures, entry => Assert.Equal(refused, entry.SourceIdentity.Id));
        var failure = failures[0];
        Assert.Equal("DuplicateSourceEntries", failure.Error?.ErrorCode);
        Assert.Contains(users[owner], failure.Error?.Reason, StringComparison.Ordinal);
        Assert.Contains("shared@contoso.com", failure.Error?.Reason, StringComparison.Ordinal);
        Assert.Equal(ExpectedUserNames(harness, users.Skip(2)).Append("shared@contoso.com").Order(StringComparer.Ordinal), TargetUserNames());
    }

    [Fact]
    public async Task A_user_whose_userName_becomes_another_users_is_refused_and_the_other_account_is_left_as_it_was()
    {
        var (seed, users) = Assigned(10);
        await using var harness = await StartAsync(seed, mappings: UserNameFromMail);
        await SyncAsync(harness);
        var holder = _atlassian.State.FindUserByUserName(Upn(harness, users[0]))!;
        var newcomer = harness.Graph.Tenant.AddUser(new Dictionary<string, object?>
        {
            ["userPrincipalName"] = "newcomer@contoso.com",
            ["mail"] = holder.UserName,
            ["displayName"] = "Newcomer",
            ["jobTitle"] = "Impostor",
        });
        harness.Graph.Tenant.Assign(newcomer);
        _atlassian.Journal.Clear();

        await SyncAsync(harness);
        harness.Clock.Advance(TimeSpan.FromHours(1));
        await SyncAsync(harness);

        var after = _atlassian.State.FindUser(holder.Id)!;
        Assert.Equal(holder.Attributes.OrderBy(pair => pair.Key), after.Attributes.OrderBy(pair => pair.Key));
        Assert.Equal(holder.Emails, after.Emails);
        Assert.Equal(users[0], after.ExternalId);
        Assert.Equal(10, _atlassian.State.LiveUsers.Count);
        Assert.Empty(_atlassian.Journal.Entries);
        var failures = await EntriesAsync(harness, ProvisioningStatus.Failure);
        Assert.NotEmpty(failures);
        Assert.All(failures, entry =>
        {
            Assert.Equal(newcomer, entry.SourceIdentity.Id);
            Assert.Equal("DuplicateSourceEntries", entry.Error?.ErrorCode);
        });
    }

    [Fact]
    public async Task A_user_whose_mail_address_another_account_has_fails_with_the_targets_reason_and_that_account_is_left_as_it_was()
    {
        var (seed, users) = Assigned(10);
        await using var harness = await StartAsync(seed);
        await SyncAsync(harness);
        var first = _atlassian.State.FindUserByUserName(Upn(harness, users[0]))!;
        var sharing = harness.Graph.Tenant.AddUser(new Dictionary<string, object?>
        {
            ["userPrincipalName"] = "sharing@contoso.com",
            ["mail"] = first.PrimaryEmail,
            ["displayName"] = "Sharing A Mailbox",
        });
        harness.Graph.Tenant.Assign(sharing);
        _atlassian.Journal.Clear();

        await SyncAsync(harness);

        Assert.Null(_atlassian.State.FindUserByUserName("sharing@contoso.com"));
        var after = _atlassian.State.FindUser(first.Id)!;
        Assert.Equal(first.Attributes.OrderBy(pair => pair.Key), after.Attributes.OrderBy(pair => pair.Key));
        Assert.Empty(_atlassian.Journal.Find("PATCH", "/Users/"));
        var failure = Assert.Single(await EntriesAsync(harness, ProvisioningStatus.Failure));
        Assert.Equal(sharing, failure.SourceIdentity.Id);
        Assert.Equal("EntryConflict", failure.Error?.ErrorCode);
        Assert.Contains(first.PrimaryEmail!, failure.Error?.Reason, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_1_MB_attribute_fails_only_its_user_on_create_and_on_update()
    {
        var (seed, users) = Assigned(20);
        await using var harness = await StartAsync(seed);
        var megabyte = new string('m', 1024 * 1024);
        harness.Graph.Tenant.UpdateUser(users[1], "displayName", megabyte);

        var created = await SyncAsync(harness);
        var before = _atlassian.State.FindUserByUserName(Upn(harness, users[0]))!;
        harness.Graph.Tenant.UpdateUser(users[0], "jobTitle", megabyte);
        harness.Graph.Tenant.UpdateUser(users[2], "jobTitle", "Changed alongside");
        var updated = await SyncAsync(harness);

        Assert.Equal(CycleStatus.Completed, created.Status);
        Assert.Equal(CycleStatus.Completed, updated.Status);
        Assert.Equal(ExpectedUserNames(harness, users.Where(user => user != users[1])), TargetUserNames());
        Assert.Equal("Staff", _atlassian.State.FindUser(before.Id)!.Attribute("title"));
        Assert.Equal("Changed alongside", _atlassian.State.FindUserByUserName(Upn(harness, users[2]))!.Attribute("title"));
        var failures = await EntriesAsync(harness, ProvisioningStatus.Failure);
        Assert.Equal(new[] { users[0], users[1] }.Order(), failures.Select(entry => entry.SourceIdentity.Id).Distinct().Order());
        Assert.All(failures, entry =>
        {
            Assert.Equal("WorkItemTooLarge", entry.Error?.ErrorCode);
            Assert.True(entry.Error!.Reason.Length < 500, $"The reason has {entry.Error.Reason.Length} characters.");
            Assert.Contains("more than a queue message holds", entry.Error.Reason, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task Names_from_every_Unicode_plane_reach_the_target_exactly_and_only_control_and_bidi_characters_are_removed()
    {
        var names = new Dictionary<string, (string Source, string Expected)>
        {
            ["latin"] = ("Zoë Ångström-Øvergård", "Zoë Ångström-Øvergård"),
            ["combining"] = ("Rene\u0301e Noe\u0308l", "Rene\u0301e Noe\u0308l"),
            ["emoji"] = ("Grin \U0001F600 \U0001F469\u200D\U0001F4BB", "Grin \U0001F600 \U0001F469\u200D\U0001F4BB"),
            ["linear-b"] = ("\U00010000\U00010001 Linear", "\U00010000\U00010001 Linear"),
            ["cjk-b"] = ("\U00020000\U0002A6D6 陳", "\U00020000\U0002A6D6 陳"),
            ["tags-and-private"] = ("Flag \U000E0067\U000E0062 \U000F0000\U0010FFFD", "Flag \U000E0067\U000E0062 \U000F0000\U0010FFFD"),
            ["arabic"] = ("محمد بن سلمان", "محمد بن سلمان"),
            ["hebrew"] = ("דוד כהן", "דוד כהן"),
            ["mixed"] = ("Adele \u05D0\u05D1 Vance", "Adele \u05D0\u05D1 Vance"),
            ["indic-thai-hangul"] = ("अनुष्का ศรีสุข 한국어", "अनुष्का ศรีสุข 한국어"),
            ["control"] = ("Bell\u0007 Null\u0000 Esc\u001B Del\u007F C1\u0085 Name", "Bell Null Esc Del C1 Name"),
            ["bidi"] = ("Adele \u202Eecnav\u202C \u2066x\u2069\u200E\u200F\u061C", "Adele ecnav x"),
        };
        var seed = new DirectorySeedBuilder();
        var ids = new Dictionary<string, string>();
        foreach (var (key, (source, _)) in names)
        {
            ids[key] = seed.AddUser($"{key}@contoso.com", source, new Dictionary<string, object?> { ["givenName"] = source, ["surname"] = source + " Jr" });
            seed.Assign(ids[key], ObjectType.User);
        }

        await using var harness = await StartAsync(seed.Build());

        await SyncAsync(harness);

        Assert.Equal(names.Count, _atlassian.State.LiveUsers.Count(user => user.Active));
        foreach (var (key, (_, expected)) in names)
        {
            var user = _atlassian.State.FindUserByUserName($"{key}@contoso.com") ?? throw new Xunit.Sdk.XunitException($"{key} was not provisioned");
            Assert.True(expected == user.DisplayName, $"{key}: expected {Escaped(expected)}, the target holds {Escaped(user.DisplayName)}");
            Assert.True(expected == user.Attribute("name.givenName"), $"{key}: givenName {Escaped(user.Attribute("name.givenName"))}");
            Assert.True(expected + " Jr" == user.Attribute("name.familyName"), $"{key}: familyName {Escaped(user.Attribute("name.familyName"))}");
        }

        var successes = await EntriesAsync(harness, ProvisioningStatus.Success);
        foreach (var key in (string[])["control", "bidi"])
        {
            var mapping = Assert.Single(successes, entry => entry.SourceIdentity.Id == ids[key]).Steps.Single(step => step.Name == "EntryMapping");
            Assert.Contains("Removed control or bidirectional formatting characters from displayName, name.familyName, name.givenName", mapping.Description, StringComparison.Ordinal);
        }

        Assert.All(successes.Where(entry => entry.SourceIdentity.Id != ids["control"] && entry.SourceIdentity.Id != ids["bidi"]),
            entry => Assert.DoesNotContain("Removed control", entry.Steps.Single(step => step.Name == "EntryMapping").Description, StringComparison.Ordinal));

        // The next cycle finds the cleaned values applied: nothing is sent again.
        _atlassian.Journal.Clear();
        harness.Clock.Advance(TimeSpan.FromMinutes(2));
        await SyncAsync(harness);
        Assert.Empty(_atlassian.Journal.Entries);
    }

    [Fact]
    public async Task Quotes_backslashes_and_filter_syntax_in_a_userName_are_escaped_so_the_lookup_matches_only_that_userName()
    {
        string[] hostile =
        [
            """evil" or userName ne "x@contoso.com""",
            """evil\" or userName ne \"x@contoso.com""",
            """quote"in@contoso.com""",
            """trailing\@contoso.com""",
            """pr" or true or "@contoso.com""",
        ];
        string[] others = ["victim@contoso.com", "admin@contoso.com", "x@contoso.com"];
        var adopted = hostile[2];
        using (var http = _atlassian.CreateClient())
        {
            foreach (var userName in others.Append(adopted))
            {
                await http.CreateUserAsync(userName);
            }
        }

        var before = _atlassian.State.LiveUsers.ToDictionary(user => user.UserName);
        var seed = new DirectorySeedBuilder();
        var ids = new Dictionary<string, string>();
        for (var i = 0; i < hostile.Length; i++)
        {
            ids[hostile[i]] = seed.AddUser($"hostile{i}@contoso.com", $"Hostile {i}", new Dictionary<string, object?> { ["mail"] = hostile[i], ["jobTitle"] = "Set by ScimSync" });
        }

        seed.Assign(seed.AddUser("bystander@contoso.com", "Bystander", new Dictionary<string, object?> { ["mail"] = "bystander@contoso.com" }), ObjectType.User);
        var filters = new ConcurrentQueue<string>();
        await using var harness = await StartAsync(seed.Build(), mappings: UserNameFromMail,
            configure: services => services.AddHttpClient(ScimClient.HttpClientName).AddHttpMessageHandler(() => new FilterRecorder(filters)));
        await SyncAsync(harness);

        // Assigned in an incremental cycle, each is looked up by its userName (a full read would list the target instead).
        foreach (var id in ids.Values)
        {
            harness.Graph.Tenant.Assign(id);
        }

        await SyncAsync(harness);

        Assert.Empty(await EntriesAsync(harness, ProvisioningStatus.Failure));
        foreach (var userName in hostile)
        {
            var user = Assert.Single(_atlassian.State.LiveUsers, candidate => candidate.UserName == userName);
            Assert.Equal(ids[userName], user.ExternalId);
            Assert.Equal("Set by ScimSync", user.Attribute("title"));
        }

        Assert.Contains("""userName eq "evil\" or userName ne \"x@contoso.com" """.TrimEnd(), filters);
        Assert.Contains("""userName eq "evil\\\" or userName ne \\\"x@contoso.com" """.TrimEnd(), filters);
        Assert.Contains("""userName eq "trailing\\@contoso.com" """.TrimEnd(), filters);
        Assert.Equal(before[adopted].Id, _atlassian.State.FindUserByUserName(adopted)!.Id);
        foreach (var userName in others)
        {
            var now = _atlassian.State.FindUserByUserName(userName)!;
            Assert.Equal(before[userName].Attributes.OrderBy(pair => pair.Key), now.Attributes.OrderBy(pair => pair.Key));
            Assert.Empty(_atlassian.Journal.Find("PATCH", "/Users/" + now.Id));
        }

        Assert.Equal(others.Length + hostile.Length + 1, _atlassian.State.LiveUsers.Count);
    }

    private Task<CycleHarness> StartAsync(DirectorySeed seed, JsonObject? mappings = null, JsonObject? targetSettings = null, Action<IServiceCollection>? configure = null) =>
        CycleHarness.StartAsync(azurite, seed, new CycleHarnessOptions
        {
            TargetBaseUrl = _atlassian.BaseUrl,
            Token = _atlassian.ApiKey,
            Mappings = mappings,
            TargetSettings = targetSettings,
            Settings = new Dictionary<string, string?>
            {
                ["ScimSync:Worker:BaseRetryDelay"] = "00:00:00.200",
                ["ScimSync:Worker:MaxWaitForRetries"] = "00:00:05",
            },
            Configure = services =>
            {
                services.AddReconciliation();
                configure?.Invoke(services);
            },
        });

    private static async Task<CycleReport> SyncAsync(CycleHarness harness)
    {
        var report = await harness.Runner.RunAsync(CycleHarness.Job);
        await harness.Services.GetRequiredService<QueueWorker>().DrainAsync(8, stopWhenEmpty: true);
        return report;
    }

    private static async Task<IReadOnlyList<ProvisioningLogEntry>> EntriesAsync(CycleHarness harness, ProvisioningStatus status) =>
        (await harness.Services.GetRequiredService<ProvisioningLogStore>()
            .QueryAsync(new ProvisioningLogQuery(CycleHarness.Job) { Status = status }, pageSize: 1000)).Entries;

    private List<string> TargetUserNames() =>
        _atlassian.State.LiveUsers.Where(user => user.Active).Select(user => user.UserName).Order(StringComparer.Ordinal).ToList();

    private static List<string> ExpectedUserNames(CycleHarness harness, IEnumerable<string> users) =>
        users.Select(user => Upn(harness, user)).Order(StringComparer.Ordinal).ToList();

    private static string Upn(CycleHarness harness, string user) =>
        harness.Graph.Snapshot().Users.Single(u => u.Id == user).Properties["userPrincipalName"].GetString()!;

    /// <summary>The text with every character outside printable ASCII as its code point, for a readable failure.</summary>
    private static string Escaped(string? text) =>
        text is null ? "nothing" : string.Concat(text.EnumerateRunes().Select(rune => rune.Value is >= 0x20 and < 0x7F ? rune.ToString() : $"\\u{rune.Value:X4}"));

    private static (DirectorySeed Seed, IReadOnlyList<string> Users) Assigned(int count)
    {
        var seed = new DirectorySeedBuilder();
        var users = seed.AddUsers(count);
        foreach (var user in users)
        {
            seed.Assign(user, ObjectType.User);
        }

        return (seed.Build(), users);
    }

    /// <summary>Keeps the filter of every SCIM request, as the client sent it.</summary>
    private sealed class FilterRecorder(ConcurrentQueue<string> filters) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var query = System.Web.HttpUtility.ParseQueryString(request.RequestUri?.Query ?? string.Empty);
            if (query["filter"] is { } filter)
            {
                filters.Enqueue(filter);
            }

            return base.SendAsync(request, cancellationToken);
        }
    }
}
