using Microsoft.AspNetCore.Http;
using ScimSync.Admin.Json;
using ScimSync.Core.Drift;
using ScimSync.Core.Identity;
using ScimSync.Core.Scim;

namespace ScimSync.Admin.Handlers;

/// <summary>
/// POST audit: a drift scan of the job's target now. Differences are repaired by the next cycle when the job's
/// <c>policy.repairDrift</c> is on; <c>plan=true</c> only says what would be repaired and writes nothing.
/// </summary>
public sealed class AuditHandler(DriftScanService scans)
{
    public async Task<IResult> HandleAsync(HttpRequest request, string job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var planText = await AdminParameters.GetAsync(request, "plan", cancellationToken);
        if (planText is not null && !bool.TryParse(planText, out _))
        {
            return AdminResults.BadRequest($"plan: use true or false, not '{planText}'.");
        }

        try
        {
            var report = await scans.ScanAsync(new JobId(job), plan: planText is not null && bool.Parse(planText), cancellationToken);
            return AdminResults.Done(request, new Page.PageNotice("Audit", job, report.Counts.Findings), report, AdminJsonContext.Default.DriftScanReport);
        }
        catch (KeyNotFoundException missing)
        {
            return AdminResults.UnknownJob(missing);
        }
        catch (ScimException unreadable)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status502BadGateway, title: "The target could not be read.", detail: unreadable.Message);
        }
    }
}
