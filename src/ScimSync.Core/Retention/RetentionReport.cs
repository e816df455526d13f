namespace ScimSync.Core.Retention;

/// <summary>What one retention cleanup deleted.</summary>
/// <param name="LogEntries">Provisioning log entries older than <c>ScimSync:Logs:RetentionDays</c>.</param>
/// <param name="ProgressRows">Cycle progress rows older than <c>ScimSync:Retention:ProgressDays</c>.</param>
/// <param name="PoisonRecords">Poison message records older than <c>ScimSync:Retention:PoisonDays</c>.</param>
public sealed record RetentionReport(int LogEntries, int ProgressRows, int PoisonRecords)
{
    /// <summary>Rows deleted in all.</summary>
    public int Total => LogEntries + ProgressRows + PoisonRecords;
}
