using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using ScimSync.Admin.Page;
using ScimSync.Core.Admin;
using ScimSync.Core.Directory;
using ScimSync.Core.Identity;
using ScimSync.Core.Logging;
using ScimSync.Core.State.Jobs;
using ScimSync.Core.State.Progress;

namespace ScimSync.Core.Tests.AdminWeb;

public sealed partial class StatusPageRendererTests
{
    private static readonly DateTimeOffset Now = new(2026, 5, 1, 8, 0, 0, TimeSpan.Zero);
    private static readonly PageLinks Links = new("/api/scimsync/admin/", FunctionsKey: null, FormToken: "form-token-1");

    [Fact]
    [Trait("Category", "Reliability")]
    public void A_display_name_holding_markup_is_shown_as_text()
    {
        var job = Report(JobStatus.DeletionsHeld) with
        {
            HeldDeletions = [new HeldObject(ObjectKind.User, new SourceId("u1"), "<script>alert('x')</script> & \"Eve\"", "Deprovision", "Left scope <b>now</b>", Now)],
        };

        var html = Render(job);

        Assert.DoesNotContain("<script>alert", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>now</b>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &quot;Eve&quot;", html, StringComparison.Ordinal);
    }

    [Fact]
    public void A_quarantined_job_shows_its_reason_and_next_attempt()
    {
        var job = Report(JobStatus.Quarantined) with
        {
            Reason = "The target refused the credentials (401).",
            QuarantinedSince = Now.AddMinutes(-30),
            NextAttemptAt = Now.AddMinutes(30),
        };

        var html = Render(job);

        Assert.Contains("badge-Quarantined", html, StringComparison.Ordinal);
        Assert.Contains("The target refused the credentials (401).", html, StringComparison.Ordinal);
        Assert.Contains("Next attempt <time datetime=\"2026-05-01T08:30:00.0000000Z\">2026-05-01 08:30:00 UTC</time> (in 30 min)", html, StringComparison.Ordinal);
        Assert.Contains("2026-05-01 07:30:00 UTC</time> (30 min ago)", html, StringComparison.Ordinal);
    }

    [Fact]
    public void A_running_cycle_shows_its_progress_and_the_page_reloads_itself()
    {
        var job = Report(JobStatus.Active) with
        {
            LastCycle = new CycleSummary { CycleId = "c1", StartedAt = Now.AddSeconds(-20), Outcome = CycleOutcome.Completed, ItemsEnqueued = 200 },
            Progress = new CycleProgress(new JobId("hr"), "c1", Enqueued: 200, Done: 70, Failed: 3, Skipped: 2),
        };

        var html = Render(job);

        Assert.Matches("<progress [^>]*max=\"200\" value=\"75\"", html);
        Assert.Contains("75 of 200 work items finished: 70 done, 3 failed, 2 skipped; 125 remaining.", html, StringComparison.Ordinal);
        Assert.Contains("data-refresh-seconds=\"3\" data-refresh-url=\"/api/scimsync/admin/page\"", html, StringComparison.Ordinal);
        Assert.Contains("<script>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void A_finished_cycle_does_not_reload_the_page()
    {
        var job = Report(JobStatus.Active) with
        {
            LastCycle = new CycleSummary { CycleId = "c1", StartedAt = Now.AddMinutes(-2), CompletedAt = Now.AddMinutes(-1), Outcome = CycleOutcome.Completed },
            Progress = new CycleProgress(new JobId("hr"), "c1", Enqueued: 10, Done: 10, Failed: 0, Skipped: 0),
        };

        var html = Render(job);

        Assert.DoesNotContain("data-refresh-seconds", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.Contains("<td>1 min</td>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void A_quarantined_job_whose_items_wait_for_the_next_attempt_does_not_reload_the_page()
    {
        var job = Report(JobStatus.Quarantined) with
        {
            LastCycle = new CycleSummary { CycleId = "c1", StartedAt = Now.AddMinutes(-1), CompletedAt = Now.AddMinutes(-1), Outcome = CycleOutcome.Completed },
            Progress = new CycleProgress(new JobId("hr"), "c1", Enqueued: 1, Done: 0, Failed: 0, Skipped: 0),
        };

        var html = Render(job);

        Assert.DoesNotContain("data-refresh-seconds", html, StringComparison.Ordinal);
        Assert.Matches("<progress [^>]*max=\"1\" value=\"0\"", html);
    }

    [Fact]
    public void Held_deletions_get_allow_and_dismiss_buttons_that_post_the_form_token()
    {
        var job = Report(JobStatus.DeletionsHeld) with
        {
            HeldDeletions = [new HeldObject(ObjectKind.User, new SourceId("u1"), "Eve", "Deprovision", "Left scope", Now)],
        };

        var html = Render(job);

        Assert.Contains("<form method=\"post\" action=\"/api/scimsync/admin/jobs/hr/allow-deletes\"><input type=\"hidden\" name=\"formToken\" value=\"form-token-1\">", html, StringComparison.Ordinal);
        Assert.Contains("action=\"/api/scimsync/admin/jobs/hr/dismiss-deletes\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Escrowed_objects_show_their_error_and_when_they_are_tried_again()
    {
        var job = Report(JobStatus.Active) with
        {
            Attention = new ObjectsNeedingAttention { Escrowed = [new HeldObject(ObjectKind.Group, new SourceId("g1"), null, "InvalidDomain", "Fix the domain.", Now, Now.AddHours(1))] },
        };

        var html = Render(job);

        Assert.Contains("<td>InvalidDomain</td><td>Fix the domain.</td>", html, StringComparison.Ordinal);
        Assert.Contains("2026-05-01 09:00:00 UTC</time> (in 1 h 0 min)</td>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void The_latest_failures_show_what_to_do()
    {
        var failure = new ProvisioningLogEntry
        {
            Id = "e1", Job = new JobId("hr"), CycleId = "c1", ChangeId = "w1", ActivityDateTime = Now, Action = ProvisioningAction.Create,
            Status = ProvisioningStatus.Failure, SourceIdentity = new ProvisionedIdentity("u1", "Adele <Vance>", "User"),
            Error = new ProvisioningErrorInfo("DuplicateTargetEntries", "Two target users match.", "Remove the duplicate in the target."),
        };

        var html = StatusPageRenderer.Render(new StatusPageModel([Report(JobStatus.Active)], [failure], 0, Now), Links);

        Assert.Contains("<td>DuplicateTargetEntries: Two target users match.</td><td>Remove the duplicate in the target.</td>", html, StringComparison.Ordinal);
        Assert.Contains("User Adele &lt;Vance&gt;", html, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Category", "Reliability")]
    public void The_page_loads_nothing_from_elsewhere_and_its_policy_admits_its_own_style_and_script()
    {
        var job = Report(JobStatus.Active) with
        {
            LastCycle = new CycleSummary { CycleId = "c1", StartedAt = Now, Outcome = CycleOutcome.Completed },
            Progress = new CycleProgress(new JobId("hr"), "c1", 10, 1, 0, 0),
        };

        var html = Render(job);

        Assert.DoesNotMatch("(src|href|action)=\"(https?:)?//", html);
        var style = StyleElement().Match(html).Groups[1].Value;
        var script = ScriptElement().Match(html).Groups[1].Value;
        Assert.Contains($"style-src 'sha256-{Sha256(style)}'", PageAssets.ContentSecurityPolicy, StringComparison.Ordinal);
        Assert.Contains($"script-src 'sha256-{Sha256(script)}'", PageAssets.ContentSecurityPolicy, StringComparison.Ordinal);
        Assert.Contains("default-src 'none'", PageAssets.ContentSecurityPolicy, StringComparison.Ordinal);
    }

    [Fact]
    public void Forms_carry_the_functions_key_the_page_was_opened_with()
    {
        var links = new PageLinks("/api/scimsync/admin/", FunctionsKey: "k/e+y=", FormToken: null);
        var job = Report(JobStatus.Active);

        var html = StatusPageRenderer.Render(new StatusPageModel([job], [], 0, Now), links);

        Assert.Contains("action=\"/api/scimsync/admin/jobs/hr/pause?code=k%2Fe%2By%3D\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("name=\"formToken\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_form_field_has_a_label()
    {
        var html = Render(Report(JobStatus.Active));

        foreach (Match field in FieldId().Matches(html))
        {
            Assert.Contains($"for=\"{field.Groups[1].Value}\"", html, StringComparison.Ordinal);
        }
    }

    private static string Render(JobStatusReport job) => StatusPageRenderer.Render(new StatusPageModel([job], [], 12, Now), Links);

    private static JobStatusReport Report(JobStatus status) => new()
    {
        Job = new JobId("hr"),
        DisplayName = "HR to Atlassian",
        Status = status,
        Summary = status + ".",
    };

    private static string Sha256(string text) => Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    [GeneratedRegex("<style>(.*?)</style>", RegexOptions.Singleline)]
    private static partial Regex StyleElement();

    [GeneratedRegex("<script>(.*?)</script>", RegexOptions.Singleline)]
    private static partial Regex ScriptElement();

    [GeneratedRegex("<(?:input|select) [^>]*id=\"([^\"]+)\"")]
    private static partial Regex FieldId();
}
