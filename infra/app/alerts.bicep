param namePrefix string
param location string
param tags object

@description('Log Analytics workspace that holds the app\'s traces.')
param workspaceId string

@description('Where alerts are mailed, like the notification e-mail of an Entra provisioning job.')
param notificationEmail string

@minValue(5)
@maxValue(2880)
@description('Minutes without a completed cycle after which a job is reported as stalled.')
param stalledAfterMinutes int

// The app logs this line, with these property names, after every cycle of every job
// (src/ScimSync.Core/Cycle/JobStateHeartbeat.cs); the query depends on both.
var heartbeatTemplate = 'Job {Job} is {Status} after cycle {CycleId}: last cycle {LastCycleOutcome} at {LastCycleAt}'

// A job needs an admin when its latest report says Quarantined or DeletionsHeld, or when it has not completed a
// cycle (or not reported at all) for stalledAfterMinutes. Each job and problem fires its own alert.
var query = '''
let stalledAfter = {0}m;
AppTraces
| where TimeGenerated > ago(2d)
| extend Format = tostring(coalesce(Properties["OriginalFormat"], Properties["{{OriginalFormat}}"]))
| where Format == "{1}"
| extend Job = tostring(Properties["Job"]), Status = tostring(Properties["Status"]),
         Outcome = tostring(Properties["LastCycleOutcome"]), CycleAt = todatetime(Properties["LastCycleAt"])
| summarize arg_max(TimeGenerated, Status),
            LastCompleted = maxif(CycleAt, Outcome in ("Completed", "CompletedWithHeldDeletions"))
            by Job
| extend Problem = case(
    Status == "Quarantined", "Quarantined",
    Status == "DeletionsHeld", "DeletionsHeld",
    isnull(LastCompleted) or LastCompleted < ago(stalledAfter) or TimeGenerated < ago(stalledAfter), "NoCompletedCycle",
    "")
| where Problem != ""
| project Job, Problem, Status, LastCompleted, LastReported = TimeGenerated
'''

resource actionGroup 'Microsoft.Insights/actionGroups@2023-01-01' = {
  name: '${namePrefix}-notify'
  location: 'Global'
  tags: tags
  properties: {
    groupShortName: 'scimsync'
    enabled: true
    emailReceivers: [
      {
        name: 'notification-email'
        emailAddress: notificationEmail
        useCommonAlertSchema: true
      }
    ]
  }
}

resource jobNeedsAdmin 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = {
  name: '${namePrefix}-job-needs-admin'
  location: location
  tags: tags
  properties: {
    displayName: 'ScimSync job quarantined, holding deletions or stalled'
    description: 'A provisioning job is quarantined, holds deletions above its threshold, or has not completed a cycle for ${stalledAfterMinutes} minutes. Open the status page to see the reason.'
    severity: 2
    enabled: true
    scopes: [
      workspaceId
    ]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT5M'
    // The query looks back itself (two days of reports); the window only paces evaluations.
    overrideQueryTimeRange: 'P2D'
    autoMitigate: true
    criteria: {
      allOf: [
        {
          query: format(query, stalledAfterMinutes, heartbeatTemplate)
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: 0
          dimensions: [
            {
              name: 'Job'
              operator: 'Include'
              values: [ '*' ]
            }
            {
              name: 'Problem'
              operator: 'Include'
              values: [ '*' ]
            }
          ]
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    actions: {
      actionGroups: [
        actionGroup.id
      ]
    }
  }
}

output actionGroupId string = actionGroup.id
output ruleId string = jobNeedsAdmin.id
