using System.Text.RegularExpressions;
using ScimSync.Core.Cycle;
using ScimSync.Infra.Tests.Infrastructure;

namespace ScimSync.Infra.Tests;

public sealed partial class AlertRuleTests
{
    private static TemplateResource Rule => CompiledTemplate.MainTemplate.Single("Microsoft.Insights/scheduledQueryRules");

    [Fact]
    public void The_alert_query_matches_the_state_line_the_app_logs_after_each_cycle()
    {
        var template = Rule.Variable("heartbeatTemplate")!.GetValue<string>();

        Assert.Equal(JobStateHeartbeat.MessageTemplate, template);
    }

    [Fact]
    public void Every_property_the_alert_query_reads_is_in_the_logged_line()
    {
        var query = Rule.Variable("query")!.GetValue<string>();
        var read = PropertyRead().Matches(query).Select(m => m.Groups[1].Value).Where(p => !p.Contains("OriginalFormat", StringComparison.Ordinal)).ToHashSet();
        var logged = TemplateHole().Matches(JobStateHeartbeat.MessageTemplate).Select(m => m.Groups[1].Value).ToHashSet();

        Assert.NotEmpty(read);
        Assert.Subset(logged, read);
    }

    [Fact]
    public void The_query_raises_quarantine_held_deletions_and_a_stalled_job()
    {
        var query = Rule.Variable("query")!.GetValue<string>();

        Assert.Contains("\"Quarantined\"", query, StringComparison.Ordinal);
        Assert.Contains("\"DeletionsHeld\"", query, StringComparison.Ordinal);
        Assert.Contains("\"NoCompletedCycle\"", query, StringComparison.Ordinal);
        Assert.Contains(nameof(Core.State.Jobs.JobStatus.Quarantined), Enum.GetNames<Core.State.Jobs.JobStatus>());
        Assert.Contains(nameof(Core.State.Jobs.JobStatus.DeletionsHeld), Enum.GetNames<Core.State.Jobs.JobStatus>());
    }

    [Fact]
    public void Alerts_are_mailed_to_the_notification_address()
    {
        var group = CompiledTemplate.MainTemplate.Single("Microsoft.Insights/actionGroups");
        var receiver = Assert.Single(group.Properties["emailReceivers"]!.AsArray());

        Assert.Equal("[parameters('notificationEmail')]", receiver!["emailAddress"]!.GetValue<string>());
        Assert.Contains("actionGroups", Rule.Properties["actions"]!.ToJsonString(), StringComparison.Ordinal);
    }

    [GeneratedRegex(@"Properties\[""([^""]+)""\]")]
    private static partial Regex PropertyRead();

    [GeneratedRegex(@"\{(\w+)\}")]
    private static partial Regex TemplateHole();
}
