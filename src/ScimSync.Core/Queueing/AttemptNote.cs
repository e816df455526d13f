namespace ScimSync.Core.Queueing;

/// <summary>
/// What one earlier attempt at a work item ended with, carried by the item's resend so that its final provisioning
/// log entry shows every attempt as a step instead of one entry per attempt.
/// </summary>
/// <param name="At">When the attempt ended.</param>
/// <param name="Code">The error code it ended with, e.g. <c>MemberNotProvisionedYet</c>.</param>
/// <param name="Reason">Why, in plain words.</param>
public sealed record AttemptNote(DateTimeOffset At, string Code, string Reason);
