using System.Text.RegularExpressions;
using ScimSync.Core.Cycle;
using ScimSync.Infra.Tests.Infrastructure;

namespace ScimSync.Infra.Tests;

public sealed partial class AlertRuleTests
{
    private static TemplateResource Rule => CompiledTemplate.MainTemplate.Single("Microsoft.Insights/scheduledQueryRules");

    [Fact]
    public void The_alert_query_parses_the_state_line_the_app_logs_after_each_cycle()
    {
        var pattern = Rule.Variable("stateLinePattern")!.GetValue<string>();

        // Quoted parts are the template's text, bare names its holes: put the holes back and it must be the template.
        var template = string.Concat(PatternPart().Matches(pattern)
            .Select(m => m.Groups["text"].Success ? m.Groups["text"].Value : "{" + m.Groups["name"].Value + "}"));

        Assert.Equal(JobStateHeartbeat.MessageTemplate, template);
    }

    [Fact]
    public void The_query_reads_the_parsed_line()
    {
        var query = Rule.Variable("query")!.GetValue<string>();

        Assert.Contains("parse kind=simple Message with {1}", query, StringComparison.Ordinal);
        Assert.Contains("format(variables('query'), parameters('stalledAfterMinutes'), variables('stateLinePattern'))",
            Rule.Properties["criteria"]!["allOf"]![0]!["query"]!.GetValue<string>(), StringComparison.Ordinal);
        foreach (var column in new[] { "Job", "Status", "LastCycleOutcome", "LastCycleAt" })
        {
            Assert.Contains("{" + column + "}", JobStateHeartbeat.MessageTemplate, StringComparison.Ordinal);
            Assert.Contains(column, query, StringComparison.Ordinal);
        }
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

    [GeneratedRegex(@"""(?<text>[^""]*)""|(?<name>\w+)")]
    private static partial Regex PatternPart();
}
