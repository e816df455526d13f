using ScimSync.Core.Configuration;
using ScimSync.Core.Logging;

namespace ScimSync.Core.Drift;

/// <summary>
/// The provisioning log entries of a drift scan, one per difference (foreign objects excepted: they are counted, not
/// logged one by one): what differs, then whether the next cycle repairs it, it was only reported, or it is never touched.
/// </summary>
public static class DriftLogEntries
{
    /// <summary>The entries for <paramref name="findings"/>; <paramref name="repaired"/> are those whose repair was recorded.</summary>
    public static IEnumerable<ProvisioningLogEntry> For(
        ProvisioningJob job, string scanId, DateTimeOffset now, IReadOnlyList<DriftFinding> findings, IReadOnlyCollection<DriftFinding> repaired, bool repair)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(findings);
        ArgumentNullException.ThrowIfNull(repaired);
        foreach (var finding in findings.Where(finding => finding.Kind != DriftKind.ForeignObject))
        {
            var wasRepaired = repaired.Contains(finding);
            var steps = new List<ProvisioningStep>
            {
                new(ProvisioningStepType.Matching, ProvisioningStatus.Warning, "DriftDetected", finding.Description,
                    finding.Paths.Count > 0 ? new Dictionary<string, string> { ["Paths"] = string.Join(", ", finding.Paths) } : null),
            };
            steps.Add(!finding.Repairable
                ? new(ProvisioningStepType.Processing, ProvisioningStatus.Skipped, "DriftReportedOnly", "ScimSync does not change what this job never managed.")
                : wasRepaired
                    ? new(ProvisioningStepType.Processing, ProvisioningStatus.Success, "DriftRepairScheduled", RepairText(finding))
                    : new(ProvisioningStepType.Processing, ProvisioningStatus.Skipped, "DriftNotRepaired",
                        repair ? "The object changed while the scan ran; the next scan checks it again." : $"{job.SettingPath}.policy.repairDrift is off: the difference is reported only."));
            yield return new ProvisioningLogEntry
            {
                Id = Guid.NewGuid().ToString(),
                Job = job.Id,
                CycleId = scanId,
                ChangeId = $"{scanId}/{finding.ObjectKind}/{finding.SourceId?.Value ?? finding.TargetId?.Value}/{finding.Kind}",
                ActivityDateTime = now,
                Action = ProvisioningAction.Other,
                Status = ProvisioningStatus.Warning,
                SourceIdentity = new ProvisionedIdentity(finding.SourceId?.Value ?? string.Empty, finding.DisplayName, finding.ObjectKind.ToString()),
                TargetIdentity = finding.TargetId is { } target ? new ProvisionedIdentity(target.Value, finding.DisplayName, finding.ObjectKind.ToString()) : null,
                Steps = steps,
                Error = wasRepaired || !finding.Repairable ? null : new ProvisioningErrorInfo("DriftNotRepaired", finding.Description,
                    $"Turn on {job.SettingPath}.policy.repairDrift, or correct the object in the target.", Category: ProvisioningErrorCategory.NonServiceFailure),
            };
        }
    }

    private static string RepairText(DriftFinding finding) => finding.Kind switch
    {
        DriftKind.Missing => "The next cycle matches and, if nothing matches, creates the object again, then gives it back its group memberships.",
        DriftKind.Deactivated => "The next cycle makes the object active again.",
        DriftKind.Reactivated => "The next cycle deactivates the object again.",
        DriftKind.AttributesDiffer => "The next cycle sends the drifted attributes again.",
        DriftKind.MembersMissing => "The next cycle adds the members again.",
        DriftKind.MembersExtra => "The next cycle removes the members again.",
        _ => "Reported only.",
    };
}
