using System.Globalization;
using ScimSync.Core.Directory;

namespace ScimSync.Core.Cycle;

/// <summary>What a guard decided: go on, or stop with a reason an admin can act on.</summary>
public sealed record GuardVerdict(bool Passed, string? Reason)
{
    public static GuardVerdict Pass { get; } = new(true, null);

    public static GuardVerdict Stop(string reason) => new(false, reason);
}

/// <summary>
/// The checks a cycle makes before anything is enqueued, as pure arithmetic. They exist because a bad source read
/// must never deprovision an organization: one peer engine deleted 72 groups after a single glitched read.
/// </summary>
public static class CycleGuards
{
    /// <summary>
    /// A full read must return at least <paramref name="minimumRatio"/> × the objects the job already knows. An empty
    /// answer always stops for users (a tenant has at least its admin) and stops for groups when the job knows some.
    /// </summary>
    /// <param name="kind">Users or groups.</param>
    /// <param name="read">Objects the full read returned.</param>
    /// <param name="known">Objects of the kind the job's state knows.</param>
    /// <param name="minimumRatio">The job's <c>policy.minimumFullReadRatio</c>.</param>
    /// <param name="settingPath">The job's setting path, e.g. <c>jobs[0]</c>, named in the reason.</param>
    public static GuardVerdict CheckFullRead(ObjectKind kind, int read, int known, double minimumRatio, string settingPath)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(read);
        ArgumentOutOfRangeException.ThrowIfNegative(known);
        var noun = kind == ObjectKind.User ? "users" : "groups";
        if (read == 0 && (kind == ObjectKind.User || known > 0))
        {
            return GuardVerdict.Stop(string.Create(CultureInfo.InvariantCulture,
                $"Microsoft Graph returned no {noun} in a full read, while the job knows {known:N0}. Nothing was changed in the target. Check that the source app still has its Graph permissions (User.Read.All, GroupMember.Read.All) and that the directory is reachable, then run the cycle again."));
        }

        var floor = Math.Ceiling(known * minimumRatio);
        if (read < floor)
        {
            return GuardVerdict.Stop(string.Create(CultureInfo.InvariantCulture,
                $"Microsoft Graph returned {read:N0} {noun} in a full read, but the job knows {known:N0}: fewer than the {minimumRatio:P0} floor ({settingPath}.policy.minimumFullReadRatio). Nothing was changed in the target. If the directory really shrank, lower the floor for one cycle; otherwise check the source's permissions and filters and run the cycle again."));
        }

        return GuardVerdict.Pass;
    }

    /// <summary>
    /// Whether a cycle's deprovisions (disables and deletes, users and groups together, as Entra counts them) must be
    /// staged for an admin instead of enqueued: above the threshold, or while earlier ones are still held.
    /// </summary>
    public static bool MustStageDeprovisions(int deprovisions, int threshold, bool deletionsAlreadyHeld)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(deprovisions);
        ArgumentOutOfRangeException.ThrowIfNegative(threshold);
        return deprovisions > 0 && (deletionsAlreadyHeld || deprovisions > threshold);
    }

    /// <summary>
    /// The deprovisions one cycle may make without approval: the job's count threshold, or its share of the objects the
    /// job manages, whichever is smaller (by default more than 500 or more than 20 % are held). The share never holds
    /// fewer than <see cref="MinimumShareThreshold"/>, so a small tenant can still let a few people go.
    /// </summary>
    public static int DeletionThreshold(int threshold, double percentOfManaged, int managed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(threshold);
        ArgumentOutOfRangeException.ThrowIfNegative(managed);
        var share = Math.Max(MinimumShareThreshold, (int)Math.Ceiling(managed * percentOfManaged / 100));
        return Math.Min(threshold, share);
    }

    /// <summary>The fewest deprovisions the percentage threshold lets through.</summary>
    public const int MinimumShareThreshold = 10;

    /// <summary>The plain-words reason a job shows while it holds deprovisions.</summary>
    public static string DeletionsHeldReason(int staged, int threshold, string settingPath) => string.Create(CultureInfo.InvariantCulture,
        $"A cycle wanted to deactivate or delete {staged:N0} users and groups, more than the deletion threshold of {threshold:N0} ({settingPath}.policy.deletionThreshold and {settingPath}.policy.deletionThresholdPercent of the managed objects, whichever is smaller). They are held and nothing was deactivated. Review them in the job status, then allow them (allow-deletes) if they are expected, or fix the cause (assignments, scope, filters) and restart the job.");
}
