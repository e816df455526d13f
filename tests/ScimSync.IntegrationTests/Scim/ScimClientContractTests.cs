using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using ScimSync.Core.Directory;
using ScimSync.Core.Identity;
using ScimSync.Core.Scim;

namespace ScimSync.IntegrationTests.Scim;

/// <summary>A SCIM server the contract suite runs against.</summary>
public interface IScimContractTarget
{
    Uri BaseUrl { get; }

    string Token { get; }

    /// <summary>The profile a job would use for this server.</summary>
    string Profile { get; }

    /// <summary>How long one request may take before the client gives up on it.</summary>
    TimeSpan AttemptTimeout => TimeSpan.FromSeconds(10);
}

/// <summary>
/// What ScimSync needs from any SCIM target, checked the same way against each server: the Atlassian emulator and
/// a third-party implementation (scimmy).
/// </summary>
public abstract class ScimClientContractTests(IScimContractTarget target) : IAsyncLifetime, IDisposable
{
    private readonly ScimTestHost _host = new(target.Token, options =>
    {
        options.AttemptTimeout = target.AttemptTimeout;
        options.TotalRequestTimeout = target.AttemptTimeout * 4;
    });
    private readonly string _run = Guid.NewGuid().ToString("N")[..10];

    protected ScimClient Client { get; private set; } = null!;

    public Task InitializeAsync()
    {
        Client = _host.Client(target.BaseUrl, target.Profile);
        return Task.CompletedTask;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        _host.Dispose();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task A_user_is_created_read_updated_disabled_and_deleted()
    {
        var userName = $"ada.{_run}@example.com";
        var desired = User(userName, "Ada", "Lovelace");

        var created = await Client.CreateOrAdoptAsync(ObjectKind.User, desired);
        Assert.False(created.Adopted);
        var read = await Client.GetAsync(ObjectKind.User, created.Resource.Id);
        Assert.Equal(userName, read.GetString("userName"));
        Assert.Equal("Ada", read.GetString("name.givenName"));
        Assert.Equal(userName, read.GetString("emails[type eq \"work\"].value"));

        var changed = desired
            .With("name.familyName", Json("\"King\""))
            .With("displayName", Json("\"Ada King\""))
            .With("emails[type eq \"work\"].value", Json($"\"ada.king.{_run}@example.com\""));
        await Client.UpdateAsync(ObjectKind.User, created.Resource.Id, read.Attributes, changed);
        read = await Client.GetAsync(ObjectKind.User, created.Resource.Id);
        Assert.Equal("King", read.GetString("name.familyName"));
        Assert.Equal("Ada King", read.GetString("displayName"));
        Assert.Equal($"ada.king.{_run}@example.com", read.GetString("emails[type eq \"work\"].value"));

        await Client.SetActiveAsync(created.Resource.Id, active: false);
        read = await Client.GetAsync(ObjectKind.User, created.Resource.Id);
        Assert.Equal(JsonValueKind.False, read.Attributes["active"]!.Value.ValueKind);

        await Client.DeleteAsync(ObjectKind.User, created.Resource.Id);
        var gone = await Assert.ThrowsAsync<ScimException>(() => Client.GetAsync(ObjectKind.User, created.Resource.Id));
        Assert.Equal(ScimErrorClassification.NotFound, gone.Classification);
        Assert.Equal(HttpStatusCode.NotFound, gone.Status);
    }

    [Fact]
    public async Task A_replace_leaves_the_user_with_exactly_the_attributes_given()
    {
        var desired = User($"put.{_run}@example.com", "Put", "Before").With("title", Json("\"Engineer\""));
        var created = await Client.CreateAsync(ObjectKind.User, desired);

        var replaced = await Client.ReplaceAsync(ObjectKind.User, created.Id, desired.Without("title").With("name.familyName", Json("\"After\"")));

        var read = await Client.GetAsync(ObjectKind.User, created.Id);
        Assert.Equal(created.Id, replaced.Id);
        Assert.Equal("After", read.GetString("name.familyName"));
        Assert.Null(read.GetString("title"));
    }

    [Fact]
    public async Task An_unchanged_user_sends_no_update()
    {
        var desired = User($"same.{_run}@example.com", "Same", "Person");
        var created = await Client.CreateAsync(ObjectKind.User, desired);

        Assert.Null(await Client.UpdateAsync(ObjectKind.User, created.Id, desired, desired));
    }

    [Fact]
    public async Task A_duplicate_create_is_a_conflict_and_is_adopted_by_re_matching()
    {
        var desired = User($"dup.{_run}@example.com", "Dup", "Licate");
        var first = await Client.CreateAsync(ObjectKind.User, desired);

        var conflict = await Assert.ThrowsAsync<ScimException>(() => Client.CreateAsync(ObjectKind.User, desired));
        Assert.Equal(ScimErrorClassification.Conflict, conflict.Classification);
        Assert.Equal(HttpStatusCode.Conflict, conflict.Status);

        var adopted = await Client.CreateOrAdoptAsync(ObjectKind.User, desired);
        Assert.True(adopted.Adopted);
        Assert.Equal(first.Id, adopted.Resource.Id);
    }

    [Fact]
    public async Task A_group_with_the_same_name_is_a_conflict_and_is_adopted()
    {
        var group = Group($"Team {_run}");
        var first = await Client.CreateAsync(ObjectKind.Group, group);

        var adopted = await Client.CreateOrAdoptAsync(ObjectKind.Group, group);

        Assert.True(adopted.Adopted);
        Assert.Equal(first.Id, adopted.Resource.Id);
    }

    [Theory]
    [InlineData("o\"brien")]
    [InlineData("DOMAIN\\ada")]
    [InlineData("zoë.山田")]
    [InlineData("quote\\\"and\\\\slash")]
    [Trait("Category", "Reliability")]
    public async Task Filters_escape_quotes_and_backslashes_and_pass_unicode(string prefix)
    {
        var userName = $"{prefix}.{_run}@example.com";
        var neighbour = $"{prefix.Replace("\\", string.Empty, StringComparison.Ordinal).Replace("\"", string.Empty, StringComparison.Ordinal)}.{_run}x@example.com";
        var created = await Client.CreateAsync(ObjectKind.User, User(userName, "Filter", "Test", email: $"f.{_run}@example.com"));
        await Client.CreateAsync(ObjectKind.User, User(neighbour, "Filter", "Neighbour", email: $"n.{_run}@example.com"));

        var found = await Client.FindAsync(ObjectKind.User, "userName", userName);

        var match = Assert.Single(found);
        Assert.Equal(created.Id, match.Id);
        Assert.Equal(userName, match.GetString("userName"));
    }

    [Fact]
    public async Task Listing_pages_through_more_users_than_one_page_without_loss_or_repeats()
    {
        var ids = new ConcurrentBag<TargetId>();
        await Parallel.ForEachAsync(Enumerable.Range(0, 250), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
        {
            var user = await Client.CreateAsync(ObjectKind.User, User($"page{i:D3}.{_run}@example.com", "Page", $"User{i}"), ct);
            ids.Add(user.Id);
        });

        var listed = new List<TargetId>();
        await foreach (var user in Client.ListAsync(ObjectKind.User))
        {
            listed.Add(user.Id);
        }

        Assert.Equal(listed.Count, listed.Distinct().Count());
        Assert.Subset(listed.ToHashSet(), ids.ToHashSet());
        Assert.True(Client.PageSize <= 100, $"page size {Client.PageSize}");
    }

    [Fact]
    public async Task A_thousand_members_are_added_and_removed_in_batches()
    {
        var users = new ConcurrentBag<TargetId>();
        await Parallel.ForEachAsync(Enumerable.Range(0, 1000), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
        {
            var user = await Client.CreateAsync(ObjectKind.User, User($"member{i:D4}.{_run}@example.com", "Member", $"No{i}"), ct);
            users.Add(user.Id);
        });
        var group = await Client.CreateAsync(ObjectKind.Group, Group($"Big {_run}"));
        Assert.Empty(group.Members);

        var batches = new List<int>();
        await Client.AddMembersAsync(group.Id, users, (batch, _) => { batches.Add(batch.Count); return Task.CompletedTask; });

        Assert.Equal(Enumerable.Repeat(Client.Profile.MemberBatchSize, 1000 / Client.Profile.MemberBatchSize), batches);
        var full = await Client.GetAsync(ObjectKind.Group, group.Id);
        Assert.Equal(users.ToHashSet(), full.Members.ToHashSet());

        var leaving = users.Take(400).ToList();
        await Client.RemoveMembersAsync(group.Id, leaving);
        var after = await Client.GetAsync(ObjectKind.Group, group.Id);
        Assert.Equal(users.Except(leaving).ToHashSet(), after.Members.ToHashSet());
    }

    [Fact]
    public async Task The_connection_test_passes_with_the_right_token()
    {
        var result = await Client.TestConnectionAsync();

        Assert.True(result.Succeeded, result.Reason);
    }

    [Fact]
    public async Task A_wrong_token_is_classified_unauthorized_with_a_readable_reason()
    {
        await using var host = new ScimTestHost("wrong-" + Guid.NewGuid().ToString("N"));
        var client = host.Client(target.BaseUrl, target.Profile);

        var result = await client.TestConnectionAsync();
        var error = await Assert.ThrowsAsync<ScimException>(() => client.GetAsync(ObjectKind.User, new TargetId("any")));

        Assert.False(result.Succeeded);
        Assert.Equal(ScimErrorClassification.Unauthorized, result.Classification);
        Assert.Contains(ScimTestHost.TokenSetting, result.Reason, StringComparison.Ordinal);
        Assert.Equal(ScimErrorClassification.Unauthorized, error.Classification);
        Assert.DoesNotContain("wrong-", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Discovery_reads_what_the_target_offers()
    {
        var capabilities = await Client.DiscoverAsync();

        Assert.True(capabilities.PatchSupported);
        Assert.True(capabilities.FilterSupported);
        Assert.True(capabilities.Offers("Users"));
        Assert.True(capabilities.Offers("Groups"));
        Assert.InRange(Client.PageSize, 1, 100);
        Assert.True((await Client.TestConnectionAsync()).Succeeded);
    }

    protected static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();

    protected static ScimAttributes User(string userName, string givenName, string familyName, string? email = null) => ScimAttributes.Empty
        .With("userName", Json(JsonSerializer.Serialize(userName)))
        .With("name.givenName", Json(JsonSerializer.Serialize(givenName)))
        .With("name.familyName", Json(JsonSerializer.Serialize(familyName)))
        .With("emails[type eq \"work\"].value", Json(JsonSerializer.Serialize(email ?? userName)))
        .With("active", Json("true"));

    protected static ScimAttributes Group(string displayName) =>
        ScimAttributes.Empty.With("displayName", Json(JsonSerializer.Serialize(displayName)));
}
