using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace ScimSync.Admin.Page;

/// <summary>
/// What a button just did, carried to the page in its URL after the redirect. Only an action name, a job id and a
/// count travel: the sentence is composed on the page from known words, so a crafted link cannot make the page say
/// anything else.
/// </summary>
public sealed record PageNotice(string Action, string Job, int? Count = null)
{
    private static readonly Dictionary<string, string> Sentences = new(StringComparer.Ordinal)
    {
        ["Pause"] = "Job {0} is paused.",
        ["Resume"] = "Job {0} is resumed.",
        ["Restart"] = "Job {0} was restarted; its next cycle starts afresh.",
        ["AllowDeletes"] = "{1} held deprovision(s) of job {0} were allowed and queued.",
        ["DismissHeldDeletes"] = "{1} held deprovision(s) of job {0} were dismissed.",
        ["Retry"] = "{1} object(s) of job {0} are due again; the next cycle sends them.",
        ["Audit"] = "The drift scan of job {0} found {1} difference(s); see Drift below.",
    };

    /// <summary>The sentence to show, or null for an action the page does not know.</summary>
    public string? Sentence => Sentences.TryGetValue(Action, out var format)
        ? string.Format(CultureInfo.InvariantCulture, format, Job, Count ?? 0)
        : null;

    /// <summary>The notice in the page's query string, if any.</summary>
    public static PageNotice? From(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var action = request.Query["done"].ToString();
        var job = request.Query["job"].ToString();
        if (action.Length == 0 || job.Length == 0 || !Sentences.ContainsKey(action))
        {
            return null;
        }

        return new PageNotice(action, job, int.TryParse(request.Query["count"], NumberStyles.None, CultureInfo.InvariantCulture, out var count) ? count : null);
    }
}
