using ScimSync.Core.Admin;
using ScimSync.Core.Logging;

namespace ScimSync.Admin.Page;

/// <summary>Everything the status page shows, as Core reported it.</summary>
/// <param name="Jobs">Each job's status, in job-file order.</param>
/// <param name="LatestProblems">The newest failures and warnings of every job, newest first.</param>
/// <param name="QueuedMessages">About how many messages wait in the queue (all jobs), or -1 when unknown.</param>
/// <param name="Now">The time the page was rendered.</param>
/// <param name="Notice">What a button just did, if the page was reached from one.</param>
public sealed record StatusPageModel(
    IReadOnlyList<JobStatusReport> Jobs,
    IReadOnlyList<ProvisioningLogEntry> LatestProblems,
    int QueuedMessages,
    DateTimeOffset Now,
    PageNotice? Notice = null);
