using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ScimSync.Admin.Page;
using ScimSync.Emulators.Graph;
using ScimSync.Emulators.Graph.Seeding;
using ScimSync.Emulators.Graph.Tenant;

namespace ScimSync.IntegrationTests.Reliability;

/// <summary>
/// Markup in anything the status page and the provision page show (a job's name, a user's display name, the target's
/// error text, a pause reason, the notice in the page's address) reaches the browser as text, never as markup.
/// </summary>
[Trait("Category", "Reliability")]
public sealed partial class StatusPageEscapingTests : IAsyncLifetime
{
    private const string AdminKey = "admin-key-for-the-escaping-test-0123456789";
    private const string JobName = "<script>alert('job')</script> HR\"><img src=x onerror=alert('job')>";
    private const string UserName = "<script>alert('user')</script>";
    private const string MailMarkup = "\"><img src=x onerror=alert('mail')>";
    private const string PauseReason = "</p><script>alert('reason')</script><p title=\"";
    private const string NoticeJob = "<script>alert('notice')</script>";

    private LocalInstallation _local = null!;
    private string _hostileUser = null!;

    public async Task InitializeAsync()
    {
        var seed = new DirectorySeedBuilder();
        foreach (var user in seed.AddUsers(5))
        {
            seed.Assign(user, ObjectType.User);
        }

        // The target refuses this mail (it is no address) and says so, quoting it.
        _hostileUser = seed.AddUser("hostile@contoso.com", UserName, new Dictionary<string, object?> { ["mail"] = MailMarkup });
        seed.Assign(_hostileUser, ObjectType.User);
        _local = await LocalInstallation.StartAsync(new GraphEmulatorOptions { Seed = seed.Build() });
        var job = _local.Job("hr", "AtlassianToken", "GraphToken");
        job["displayName"] = JobName;
        job["target"]!["allowExternalUsers"] = true;
        await _local.WriteFilesAsync([job], new JsonObject { ["AtlassianToken"] = _local.Atlassian.ApiKey, ["GraphToken"] = _local.Graph.AccessToken }, AdminKey);
    }

    public async Task DisposeAsync() => await _local.DisposeAsync();

    [Fact]
    public async Task Markup_in_names_errors_reasons_and_the_address_is_shown_as_text()
    {
        var sync = await _local.CliAsync("sync", "--job", "hr");
        // The hostile user fails (the target refuses its mail); the others are provisioned.
        Assert.True(sync.ExitCode == 1, sync.Output);
        await using var admin = await _local.RunAsync(AdminKey);
        using var client = admin.Client();

        var provision = await client.PostAsync("api/scimsync/admin/jobs/hr/provision", new FormUrlEncodedContent([KeyValuePair.Create("sourceId", _hostileUser)]));
        var provisionPage = await provision.Content.ReadAsStringAsync();
        await client.PostAsync("api/scimsync/admin/jobs/hr/pause", new FormUrlEncodedContent([KeyValuePair.Create("reason", PauseReason)]));
        var page = await client.GetAsync($"api/scimsync/admin/page?done=Pause&job={Uri.EscapeDataString(NoticeJob)}&count=1");
        var statusPage = await page.Content.ReadAsStringAsync();
        await client.PostAsync("api/scimsync/admin/jobs/hr/resume", null);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal(HttpStatusCode.OK, provision.StatusCode);
        // Each value is on the page, as the characters it is.
        Assert.Contains(HtmlText.Encode(JobName), statusPage, StringComparison.Ordinal);
        Assert.Contains(HtmlText.Encode(UserName), statusPage, StringComparison.Ordinal);
        Assert.Contains(HtmlText.Encode($"'{MailMarkup}' is not an email address."), statusPage, StringComparison.Ordinal);
        Assert.Contains(HtmlText.Encode(PauseReason), statusPage, StringComparison.Ordinal);
        Assert.Contains(HtmlText.Encode($"Job {NoticeJob} is paused."), statusPage, StringComparison.Ordinal);
        Assert.Contains(HtmlText.Encode(UserName), provisionPage, StringComparison.Ordinal);
        Assert.Contains(HtmlText.Encode(MailMarkup), provisionPage, StringComparison.Ordinal);
        foreach (var html in new[] { statusPage, provisionPage })
        {
            Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotMatch(EventHandlerAttribute(), html);
            // The only script a page may hold is its own, which its content security policy admits by hash.
            Assert.All(Scripts().Matches(html), script => Assert.Equal(PageAssets.Script, script.Groups[1].Value));
        }
    }

    [GeneratedRegex(@"<[^>]*\son[a-z]+\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex EventHandlerAttribute();

    [GeneratedRegex("<script[^>]*>(.*?)</script>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex Scripts();
}
