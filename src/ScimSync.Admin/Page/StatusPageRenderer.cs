using System.Globalization;
using ScimSync.Core.Admin;
using ScimSync.Core.Logging;
using ScimSync.Core.State.Jobs;

namespace ScimSync.Admin.Page;

/// <summary>
/// Renders the status page: per job its state (with the quarantine reason and next attempt), the current cycle's
/// progress, the last cycle, the latest failures and warnings with what to do, held deletions with allow and dismiss
/// buttons, objects waiting for a retry and when they are tried, and the admin actions. Semantic HTML with labels and
/// captions, one inline style and script, nothing fetched from elsewhere; it reloads itself while a cycle runs.
/// </summary>
public static class StatusPageRenderer
{
    /// <summary>How often the page reloads while a cycle runs.</summary>
    public const int RefreshSeconds = 3;

    private const int ListedObjects = 50;

    public static string Render(StatusPageModel model, PageLinks links)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(links);
        var running = model.Jobs.Any(IsRunning);
        var html = new HtmlText();
        html.Raw("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Raw("<title>").Text(Title(model)).Raw("</title>\n")
            .Raw("<style>").Raw(PageAssets.Style).Raw("</style>\n</head>\n")
            .Raw("<body").Raw(running
                ? HtmlText.Attribute("data-refresh-seconds", RefreshSeconds.ToString(CultureInfo.InvariantCulture)) + HtmlText.Attribute("data-refresh-url", links.Page())
                : string.Empty).Raw(">\n")
            .Raw("<header><h1>ScimSync status</h1><p class=\"muted\">Rendered ")
            .Raw(Time(model.Now)).Raw(running ? ". A cycle is running; this page reloads every " + RefreshSeconds + " seconds." : ".")
            .Raw(" <a").Raw(HtmlText.Attribute("href", links.Page())).Raw(">Reload</a></p></header>\n<main>\n");
        if (model.Notice?.Sentence is { } sentence)
        {
            html.Raw("<p class=\"notice\" role=\"status\">").Text(sentence).Raw("</p>\n");
        }

        if (model.QueuedMessages >= 0)
        {
            html.Raw("<p>About ").Number(model.QueuedMessages).Raw(" message(s) wait in the queue (all jobs).</p>\n");
        }

        if (model.Jobs.Count == 0)
        {
            html.Raw("<p>The job file declares no jobs.</p>\n");
        }

        foreach (var job in model.Jobs)
        {
            Job(html, job, model.LatestProblems.Where(entry => entry.Job == job.Job).ToList(), model.Now, links);
        }

        html.Raw("</main>\n<footer><p class=\"muted\">The JSON API behind this page: ")
            .Raw("<a").Raw(HtmlText.Attribute("href", links.Url("status"))).Raw(">status</a>, ")
            .Raw("<a").Raw(HtmlText.Attribute("href", links.Url("logs"))).Raw(">logs</a>.</p></footer>\n");
        if (running)
        {
            html.Raw("<script>").Raw(PageAssets.Script).Raw("</script>\n");
        }

        return html.Raw("</body>\n</html>\n").ToString();
    }

    /// <summary>
    /// Whether the job's latest cycle still has items to finish (or has not finished reading). A quarantined job's
    /// remaining items wait for its next attempt, so nothing moves until then and the page need not reload.
    /// </summary>
    public static bool IsRunning(JobStatusReport job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return job.Status != JobStatus.Quarantined && (job.LastCycle is { CompletedAt: null } || job.Progress is { Remaining: > 0 });
    }

    private static string Title(StatusPageModel model)
    {
        var needsAdmin = model.Jobs.Count(job => job.NeedsAdmin);
        return needsAdmin == 0 ? "ScimSync status" : $"ScimSync status: {needsAdmin} job(s) need an admin";
    }

    private static void Job(HtmlText html, JobStatusReport job, IReadOnlyList<ProvisioningLogEntry> problems, DateTimeOffset now, PageLinks links)
    {
        var id = job.Job.Value;
        var anchor = "job-" + Slug(id);
        html.Raw("<section class=\"job\"").Raw(HtmlText.Attribute("id", anchor)).Raw(HtmlText.Attribute("aria-labelledby", anchor + "-title")).Raw(">\n")
            .Raw("<div class=\"job-head\"><h2").Raw(HtmlText.Attribute("id", anchor + "-title")).Raw(">").Text(job.DisplayName ?? id)
            .Raw(job.DisplayName is null ? string.Empty : " <span class=\"muted\">(" + HtmlText.Encode(id) + ")</span>").Raw("</h2>")
            .Raw("<span").Raw(HtmlText.Attribute("class", "badge badge-" + job.Status)).Raw(" data-status>").Text(StatusWord(job.Status)).Raw("</span></div>\n")
            .Raw("<p data-summary>").Text(job.Summary).Raw("</p>\n");

        State(html, job, now);
        Progress(html, job, anchor);
        LastCycle(html, job, now);
        Held(html, job, now, links);
        Attention(html, job, now, links);
        Problems(html, problems, anchor);
        Actions(html, job, anchor, links);
        html.Raw("</section>\n");
    }

    private static void State(HtmlText html, JobStatusReport job, DateTimeOffset now)
    {
        if (job.Status == JobStatus.Quarantined)
        {
            html.Raw("<div class=\"reason\" data-quarantine><p><strong>Why it is quarantined:</strong> ").Text(job.Reason ?? "No reason was recorded.").Raw("</p><p>");
            if (job.QuarantinedSince is { } since)
            {
                html.Raw("Quarantined since ").Raw(Time(since, now)).Raw(". ");
            }

            if (job.NextAttemptAt is { } next)
            {
                html.Raw("Next attempt ").Raw(Time(next, now)).Raw(".");
            }

            html.Raw("</p></div>\n<p class=\"todo\"><strong>What to do:</strong> fix the cause (the token setting, the target URL, the failing mappings), then Restart with the quarantine scope to try at once, or wait for the next attempt.</p>\n");
        }
        else if (job.Status == JobStatus.DeletionsHeld)
        {
            html.Raw("<p class=\"todo\"><strong>What to do:</strong> review the held deletions below. If they are right, Allow deletes; if the source read was wrong, Dismiss them, fix the source, and Restart with the watermark scope.</p>\n");
        }
        else if (job.Status == JobStatus.Paused)
        {
            html.Raw("<p class=\"todo\"><strong>What to do:</strong> Resume the job to run its cycles again.</p>\n");
            if (job.Reason is { Length: > 0 } reason)
            {
                html.Raw("<p>").Text(reason).Raw("</p>\n");
            }
        }
    }

    private static void Progress(HtmlText html, JobStatusReport job, string anchor)
    {
        if (job.Progress is not { } progress)
        {
            return;
        }

        var cycle = job.LastCycle?.CycleId ?? progress.CycleId;
        var label = anchor + "-progress";
        html.Raw("<h3").Raw(HtmlText.Attribute("id", label)).Raw(">").Raw(IsRunning(job) ? "Current cycle " : "Last cycle ").Text(cycle).Raw("</h3>\n")
            .Raw("<progress").Raw(HtmlText.Attribute("aria-labelledby", label))
            .Raw(HtmlText.Attribute("max", Math.Max(1, progress.Enqueued).ToString(CultureInfo.InvariantCulture)))
            .Raw(HtmlText.Attribute("value", Math.Min(progress.Finished, Math.Max(1, progress.Enqueued)).ToString(CultureInfo.InvariantCulture)))
            .Raw(" data-progress>").Number(progress.Finished).Raw(" of ").Number(progress.Enqueued).Raw("</progress>\n")
            .Raw("<p data-progress-text>").Number(progress.Finished).Raw(" of ").Number(progress.Enqueued).Raw(" work items finished: ")
            .Number(progress.Done).Raw(" done, ").Number(progress.Failed).Raw(" failed, ").Number(progress.Skipped).Raw(" skipped; ")
            .Number(progress.Remaining).Raw(" remaining.</p>\n");
    }

    private static void LastCycle(HtmlText html, JobStatusReport job, DateTimeOffset now)
    {
        if (job.LastCycle is not { } cycle)
        {
            html.Raw("<p>No cycle has run yet; the first one reads the whole directory.</p>\n");
            return;
        }

        var duration = cycle.CompletedAt is { } completed ? StatusSummary.Describe(completed - cycle.StartedAt) : "still running";
        html.Raw("<div class=\"scroll\"><table><caption>Last cycles</caption><thead><tr>")
            .Raw("<th scope=\"col\">cycle</th><th scope=\"col\">started</th><th scope=\"col\">duration</th><th scope=\"col\">outcome</th>")
            .Raw("<th scope=\"col\">objects read</th><th scope=\"col\">actions queued</th><th scope=\"col\">deprovisions held</th><th scope=\"col\">failures</th>")
            .Raw("</tr></thead><tbody><tr>")
            .Element("td", cycle.CycleId)
            .Raw("<td>").Raw(Time(cycle.StartedAt, now)).Raw("</td>")
            .Element("td", duration)
            .Element("td", cycle.Outcome + (cycle.FullRead ? " (full read)" : " (incremental)"))
            .Element("td", Count(cycle.ObjectsRead))
            .Element("td", Count(cycle.ItemsEnqueued))
            .Element("td", Count(cycle.DeprovisionsStaged))
            .Element("td", job.Progress is { } progress && job.Progress.CycleId == cycle.CycleId ? Count(progress.Failed) : "-")
            .Raw("</tr></tbody></table></div>\n");
        if (cycle.Detail is { Length: > 0 } detail)
        {
            html.Raw("<p>").Text(detail).Raw("</p>\n");
        }

        var counters = job.Counters;
        html.Raw("<p class=\"muted\">").Number(counters.CyclesCompleted).Raw(" cycle(s) completed in all")
            .Raw(counters.ConsecutiveFailedCycles > 0 ? "; " + Count(counters.ConsecutiveFailedCycles) + " failed in a row" : string.Empty).Raw(".</p>\n");
    }

    private static void Held(HtmlText html, JobStatusReport job, DateTimeOffset now, PageLinks links)
    {
        if (job.HeldDeletions.Count == 0)
        {
            return;
        }

        var id = job.Job.Value;
        html.Raw("<h3>Held deletions (").Number(job.HeldDeletions.Count).Raw(")</h3>\n");
        ObjectTable(html, "Deprovisions the deletion guard holds until an admin allows or dismisses them", job.HeldDeletions, now, showNextRetry: false);
        html.Raw("<div class=\"actions\">");
        Button(html, links.JobAction(id, "allow-deletes"), links, "Allow deletes", "danger", "allow-deletes");
        Button(html, links.JobAction(id, "dismiss-deletes"), links, "Dismiss held deletes", "secondary", "dismiss-deletes");
        html.Raw("</div>\n");
    }

    private static void Attention(HtmlText html, JobStatusReport job, DateTimeOffset now, PageLinks links)
    {
        var attention = job.Attention;
        if (attention.IsEmpty)
        {
            html.Raw("<p>Every object the job knows is in the target as the source wants it.</p>\n");
            return;
        }

        html.Raw("<h3>Objects not in the target as the source wants them (")
            .Number(attention.Count).Raw(")</h3>\n");
        Section(html, "Escrowed: the last attempt failed; later cycles try again at the time shown", attention.Escrowed, now);
        Section(html, "Poisoned: a work item used up its attempts; the change stays pending and later cycles try again", attention.Poisoned, now);
        Section(html, "Not kept: the target acknowledged the change but did not keep it; later cycles send it again", attention.Unapplied, now);
        Section(html, "Pending: changes on their way (in the queue, or waiting for the target or a quarantine)", attention.Pending, now);
        Section(html, "Drift: the last drift scan found the target different from what ScimSync applied", attention.Drift, now);
        Section(html, "Not provisioned: members their groups completed without; each joins its groups once its own cause is fixed", attention.NotProvisionedMembers, now);
        if (attention.Escrowed.Count + attention.Poisoned.Count + attention.Unapplied.Count > 0)
        {
            Button(html, links.JobAction(job.Job.Value, "retry"), links, "Retry these now", "secondary", "retry");
        }
    }

    private static void Section(HtmlText html, string caption, IReadOnlyList<HeldObject> objects, DateTimeOffset now)
    {
        if (objects.Count > 0)
        {
            ObjectTable(html, caption, objects, now, showNextRetry: true);
        }
    }

    private static void ObjectTable(HtmlText html, string caption, IReadOnlyList<HeldObject> objects, DateTimeOffset now, bool showNextRetry)
    {
        html.Raw("<div class=\"scroll\"><table><caption>").Text(caption).Raw("</caption><thead><tr>")
            .Raw("<th scope=\"col\">kind</th><th scope=\"col\">object</th><th scope=\"col\">what</th><th scope=\"col\">reason and what to do</th><th scope=\"col\">since</th>")
            .Raw(showNextRetry ? "<th scope=\"col\">next retry</th>" : string.Empty).Raw("</tr></thead><tbody>\n");
        foreach (var held in objects.Take(ListedObjects))
        {
            html.Raw("<tr>").Element("td", held.Kind.ToString())
                .Raw("<td>").Text(held.DisplayName ?? held.SourceId.Value)
                .Raw(held.DisplayName is null ? string.Empty : "<br><span class=\"muted\">" + HtmlText.Encode(held.SourceId.Value) + "</span>").Raw("</td>")
                .Element("td", held.What).Element("td", held.Reason)
                .Raw("<td>").Raw(held.Since is { } since ? Time(since, now) : "-").Raw("</td>");
            if (showNextRetry)
            {
                html.Raw("<td>").Raw(held.NextRetryAt is { } next ? Time(next, now) : "-").Raw("</td>");
            }

            html.Raw("</tr>\n");
        }

        html.Raw("</tbody></table></div>\n");
        if (objects.Count > ListedObjects)
        {
            html.Raw("<p class=\"muted\">and ").Number(objects.Count - ListedObjects).Raw(" more (the status API lists every one).</p>\n");
        }
    }

    private static void Problems(HtmlText html, IReadOnlyList<ProvisioningLogEntry> problems, string anchor)
    {
        if (problems.Count == 0)
        {
            return;
        }

        html.Raw("<div class=\"scroll\"><table").Raw(HtmlText.Attribute("id", anchor + "-problems")).Raw("><caption>Latest failures and warnings</caption><thead><tr>")
            .Raw("<th scope=\"col\">time (UTC)</th><th scope=\"col\">status</th><th scope=\"col\">action</th><th scope=\"col\">object</th><th scope=\"col\">what happened</th><th scope=\"col\">what to do</th>")
            .Raw("</tr></thead><tbody>\n");
        foreach (var entry in problems)
        {
            var error = entry.Error;
            html.Raw("<tr>").Element("td", entry.ActivityDateTime.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture))
                .Element("td", entry.Status.ToString()).Element("td", entry.Action.ToString())
                .Element("td", entry.SourceIdentity.IdentityType + " " + (entry.SourceIdentity.DisplayName ?? entry.SourceIdentity.Id))
                .Element("td", error is null ? LastStep(entry) : error.ErrorCode + ": " + error.Reason)
                .Element("td", error?.RecommendedAction ?? "-")
                .Raw("</tr>\n");
        }

        html.Raw("</tbody></table></div>\n");
    }

    private static void Actions(HtmlText html, JobStatusReport job, string anchor, PageLinks links)
    {
        var id = job.Job.Value;
        html.Raw("<details><summary>Actions</summary>\n<div class=\"actions\">");
        if (job.Status == JobStatus.Paused)
        {
            Button(html, links.JobAction(id, "resume"), links, "Resume", "primary", "resume");
        }
        else
        {
            Button(html, links.JobAction(id, "pause"), links, "Pause", "secondary", "pause");
        }

        html.Raw("<a").Raw(HtmlText.Attribute("href", links.Url("jobs/" + Uri.EscapeDataString(id) + "/plan"))).Raw(">Plan (dry run, JSON)</a> ")
            .Raw("<a").Raw(HtmlText.Attribute("href", links.Url("logs", ("job", id)))).Raw(">Provisioning logs (JSON)</a>")
            .Raw("</div>\n<div class=\"actions\"><form method=\"post\"").Raw(HtmlText.Attribute("action", links.JobAction(id, "restart"))).Raw(">")
            .Raw(Hidden(links))
            .Raw("<label").Raw(HtmlText.Attribute("for", anchor + "-scope")).Raw(">Restart scope<select name=\"scope\"").Raw(HtmlText.Attribute("id", anchor + "-scope")).Raw(">")
            .Raw("<option value=\"Default\">Watermark, escrows and quarantine (as Entra's Restart)</option>")
            .Raw("<option value=\"QuarantineState\">Quarantine only</option>")
            .Raw("<option value=\"Watermark\">Watermark only (read everything again)</option>")
            .Raw("<option value=\"Escrows\">Escrows only</option>")
            .Raw("<option value=\"Full\">Full (match every object again)</option></select></label>")
            .Raw("<button type=\"submit\" class=\"secondary\" data-action=\"restart\">Restart</button></form></div>\n")
            .Raw("<div class=\"actions\"><form method=\"post\"").Raw(HtmlText.Attribute("action", links.JobAction(id, "provision"))).Raw(">")
            .Raw(Hidden(links))
            .Raw("<label").Raw(HtmlText.Attribute("for", anchor + "-source")).Raw(">User or group object id<input name=\"sourceId\" required autocomplete=\"off\" spellcheck=\"false\"")
            .Raw(HtmlText.Attribute("id", anchor + "-source")).Raw("></label>")
            .Raw("<button type=\"submit\" data-action=\"provision\">Provision on demand</button></form></div>\n</details>\n");
    }

    private static void Button(HtmlText html, string action, PageLinks links, string label, string style, string name) =>
        html.Raw("<form method=\"post\"").Raw(HtmlText.Attribute("action", action)).Raw(">").Raw(Hidden(links))
            .Raw("<button type=\"submit\"").Raw(HtmlText.Attribute("class", style)).Raw(HtmlText.Attribute("data-action", name)).Raw(">").Text(label).Raw("</button></form>");

    private static string Hidden(PageLinks links) =>
        links.FormToken is { } token ? "<input type=\"hidden\" name=\"" + Security.AdminKeyFilter.FormTokenField + "\"" + HtmlText.Attribute("value", token) + ">" : string.Empty;

    private static string LastStep(ProvisioningLogEntry entry) =>
        entry.Steps.LastOrDefault(step => step.Status is ProvisioningStatus.Failure or ProvisioningStatus.Warning)?.Description
        ?? (entry.Steps.Count > 0 ? entry.Steps[^1].Description : "-");

    private static string StatusWord(JobStatus status) => status switch
    {
        JobStatus.DeletionsHeld => "Deletions held",
        _ => status.ToString(),
    };

    private static string Time(DateTimeOffset at) =>
        "<time" + HtmlText.Attribute("datetime", at.UtcDateTime.ToString("O", CultureInfo.InvariantCulture)) + ">"
        + HtmlText.Encode(at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)) + " UTC</time>";

    private static string Time(DateTimeOffset at, DateTimeOffset now)
    {
        var relative = (now - at).Duration() < TimeSpan.FromSeconds(1) ? "just now"
            : at < now ? StatusSummary.Describe(now - at) + " ago"
            : "in " + StatusSummary.Describe(at - now);
        return Time(at) + " (" + HtmlText.Encode(relative) + ")";
    }

    private static string Count(int value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Slug(string id) => new(id.Select(c => char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : '-').ToArray());
}
