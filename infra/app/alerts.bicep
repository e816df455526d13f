param namePrefix string
param location string
param tags object

@description('Name of the Log Analytics workspace that holds the app\'s traces.')
param workspaceName string

@description('Where alerts are mailed, like the notification e-mail of an Entra provisioning job.')
param notificationEmail string

@minValue(5)
@maxValue(2880)
@description('Minutes without a completed cycle after which a job is reported as stalled.')
param stalledAfterMinutes int

// The app logs this line after every cycle of every job (src/ScimSync.Core/Cycle/JobStateHeartbeat.cs). The query
// parses the rendered message rather than custom dimensions, whose names differ between the worker's and the
// host's telemetry; the test AlertRuleTests checks that this pattern is the logged template, hole for hole.
import { roles } from 'roles.bicep'

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' existing = {
  name: workspaceName
}

var stateLinePattern = '"Job " Job " is " Status " after cycle " CycleId ": last cycle " LastCycleOutcome " at " LastCycleAt'

// A job needs an admin when its latest report says Quarantined or DeletionsHeld, or when it has not completed a
// cycle (or not reported at all) for stalledAfterMinutes. Each job and problem fires its own alert.
var query = '''
let stalledAfter = {0}m;
AppTraces
| where TimeGenerated > ago(2d)
| where Message startswith "Job " and Message has " after cycle " and Message has ": last cycle "
| parse kind=simple Message with {1}
| extend CycleAt = todatetime(LastCycleAt)
| summarize arg_max(TimeGenerated, Status),
            LastCompleted = maxif(CycleAt, LastCycleOutcome in ("Completed", "CompletedWithHeldDeletions"))
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

// The rule queries as its own identity, since the workspace accepts no shared keys.
resource jobNeedsAdmin 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = {
  name: '${namePrefix}-job-needs-admin'
  location: location
  tags: tags
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    displayName: 'ScimSync job quarantined, holding deletions or stalled'
    description: 'A provisioning job is quarantined, holds deletions above its threshold, or has not completed a cycle for ${stalledAfterMinutes} minutes. Open the status page to see the reason.'
    severity: 2
    enabled: true
    scopes: [
      workspace.id
    ]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT5M'
    // The query looks back itself (two days of reports); the window only paces evaluations.
    overrideQueryTimeRange: 'P2D'
    autoMitigate: true
    criteria: {
      allOf: [
        {
          query: format(query, stalledAfterMinutes, stateLinePattern)
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

resource ruleReadsLogs 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(workspace.id, jobNeedsAdmin.id, roles.logAnalyticsReader)
  scope: workspace
  properties: {
    // Log Analytics Reader
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.logAnalyticsReader)
    principalId: jobNeedsAdmin.identity.principalId
    principalType: 'ServicePrincipal'
  }
}

output actionGroupId string = actionGroup.id
output ruleId string = jobNeedsAdmin.id
