using ScimSync.Core.Admin;

namespace ScimSync.Admin.Json;

/// <summary>The status API's answer: every job's status and the shared queue's length.</summary>
/// <param name="Jobs">Each job's status, in job-file order.</param>
/// <param name="QueuedMessages">About how many messages wait in the queue (all jobs share it); a message carries up to <c>ScimSync:Queue:ItemsPerMessage</c> work items.</param>
public sealed record AdminStatus(IReadOnlyList<JobStatusReport> Jobs, int QueuedMessages);
