targetScope = 'subscription'

@minLength(1)
@maxLength(40)
@description('Name of the azd environment; names the resource group and, with a hash, every resource.')
param environmentName string

@minLength(1)
@description('Azure region for every resource; it must offer the Flex Consumption plan.')
param location string

@secure()
@description('The SCIM bearer tokens: each key is the app setting a job names in target.tokenSetting, each value its token (e.g. the Atlassian directory API key).')
param scimTokens object

@description('Path of the job file inside the deployed package (azd copies SCIMSYNC_JOBS_FILE there before packaging).')
param jobsFile string = 'jobs.json'

@description('Where alerts are mailed when a job is quarantined, holds deletions or stalls.')
param notificationEmail string

@minValue(5)
@maxValue(2880)
@description('Minutes without a completed cycle after which a job is reported as stalled.')
param stalledAfterMinutes int = 60

@description('NCRONTAB schedule of the sync cycle timer; each job still runs only at its own policy.interval.')
param syncSchedule string = '0 */1 * * * *'

@description('NCRONTAB schedule of the retention clean-up timer.')
param cleanupSchedule string = '0 30 3 * * *'

@minValue(1)
@maxValue(1000)
@description('Most instances the app may scale to. Each job\'s requestsPerSecond is shared out among them, so a higher count speeds nothing up against a rate-limited target; it adds headroom for other work.')
param maximumInstanceCount int = 2

@minValue(1)
@maxValue(32)
@description('Work items one instance processes at once.')
param queueConcurrency int = 8

@allowed([ 2048, 4096 ])
@description('Memory of each instance in MB.')
param instanceMemoryMB int = 2048

@description('Carry work items on Azure Service Bus instead of the Storage queue.')
param useServiceBus bool = false

@minValue(1)
@maxValue(100)
@description('Deliveries after which a work item is judged poison (the queue trigger, ScimSync:Queue:MaxDequeueCount and the Service Bus queue\'s maxDeliveryCount).')
param maxDeliveryCount int = 5

var tags = {
  'azd-env-name': environmentName
  application: 'scimsync'
}
var token = toLower(uniqueString(subscription().id, environmentName, location))
var workQueueName = 'scimsync-work'
var deploymentContainerName = 'app-package'

resource group 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module identity 'app/identity.bicep' = {
  scope: group
  name: 'identity'
  params: {
    name: 'id-scimsync-${token}'
    location: location
    tags: tags
  }
}

module monitoring 'app/monitoring.bicep' = {
  scope: group
  name: 'monitoring'
  params: {
    logAnalyticsName: 'log-scimsync-${token}'
    applicationInsightsName: 'appi-scimsync-${token}'
    location: location
    tags: tags
    publisherPrincipalId: identity.outputs.principalId
  }
}

module storage 'app/storage.bicep' = {
  scope: group
  name: 'storage'
  params: {
    name: 'stscimsync${take(token, 12)}'
    location: location
    tags: tags
    deploymentContainerName: deploymentContainerName
    workQueueName: workQueueName
    appPrincipalId: identity.outputs.principalId
  }
}

module vault 'app/keyvault.bicep' = {
  scope: group
  name: 'keyvault'
  params: {
    name: 'kv-scimsync-${take(token, 11)}'
    location: location
    tags: tags
    readerPrincipalId: identity.outputs.principalId
    scimTokens: scimTokens
  }
}

module serviceBus 'app/servicebus.bicep' = if (useServiceBus) {
  scope: group
  name: 'servicebus'
  params: {
    name: 'sb-scimsync-${token}'
    location: location
    tags: tags
    queueName: workQueueName
    appPrincipalId: identity.outputs.principalId
    maxDeliveryCount: maxDeliveryCount
  }
}

module functionApp 'app/function-app.bicep' = {
  scope: group
  name: 'function-app'
  params: {
    planName: 'plan-scimsync-${token}'
    appName: 'func-scimsync-${token}'
    location: location
    tags: tags
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    storageQueueEndpoint: storage.outputs.queueEndpoint
    storageTableEndpoint: storage.outputs.tableEndpoint
    deploymentContainerUrl: storage.outputs.deploymentContainerUrl
    applicationInsightsConnectionString: monitoring.outputs.connectionString
    keyVaultName: vault.outputs.name
    scimTokenSettings: objectKeys(scimTokens)
    jobsFile: jobsFile
    syncSchedule: syncSchedule
    cleanupSchedule: cleanupSchedule
    workQueueName: workQueueName
    serviceBusNamespace: useServiceBus ? serviceBus!.outputs.fullyQualifiedNamespace : ''
    serviceBusQueueName: useServiceBus ? serviceBus!.outputs.queueName : ''
    maximumInstanceCount: maximumInstanceCount
    queueConcurrency: queueConcurrency
    instanceMemoryMB: instanceMemoryMB
    maxDeliveryCount: maxDeliveryCount
  }
}

module alerts 'app/alerts.bicep' = {
  scope: group
  name: 'alerts'
  params: {
    namePrefix: 'scimsync-${token}'
    location: location
    tags: tags
    workspaceName: monitoring.outputs.workspaceName
    notificationEmail: notificationEmail
    stalledAfterMinutes: stalledAfterMinutes
  }
}

output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = group.name
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name
output AZURE_KEY_VAULT_NAME string = vault.outputs.name
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
output MANAGED_IDENTITY_CLIENT_ID string = identity.outputs.clientId
output MANAGED_IDENTITY_PRINCIPAL_ID string = identity.outputs.principalId
output SCIMSYNC_APP_URL string = 'https://${functionApp.outputs.defaultHostName}'
