param planName string
param appName string
param location string
param tags object

@description('Resource id, client id and principal id of the user-assigned identity the app runs as.')
param identityId string
param identityClientId string

param storageAccountName string
param storageQueueEndpoint string
param storageTableEndpoint string
param deploymentContainerUrl string

param applicationInsightsConnectionString string
param keyVaultName string

@description('App setting names of the SCIM tokens; each is a Key Vault reference to the secret of the same name.')
param scimTokenSettings array

@description('Path of the job file inside the deployed package.')
param jobsFile string

@description('NCRONTAB schedule of the sync cycle timer.')
param syncSchedule string

@description('NCRONTAB schedule of the retention clean-up timer.')
param cleanupSchedule string

param workQueueName string

@description('Service Bus namespace host name; empty to carry work items on the Storage queue.')
param serviceBusNamespace string
param serviceBusQueueName string

@minValue(1)
@maxValue(1000)
@description('Most instances the plan may run; each job\'s requestsPerSecond is divided by it (see docs/decisions/003-rate-limits-across-instances.md).')
param maximumInstanceCount int

@minValue(1)
@maxValue(32)
@description('Work items one instance processes at once.')
param queueConcurrency int

@allowed([ 2048, 4096 ])
param instanceMemoryMB int

@minValue(1)
@maxValue(100)
@description('Deliveries after which a work item is judged poison, by the queue trigger and by the engine alike.')
param maxDeliveryCount int

var useServiceBus = !empty(serviceBusNamespace)

// Every setting the app reads, as local.settings.sample.json lists them for a local run; the test
// SettingsCatalogueTests keeps the two, and the options the app validates at start-up, in step.
var hostSettings = {
  AzureWebJobsStorage__accountName: storageAccountName
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identityClientId
  APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsightsConnectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
  AzureFunctionsJobHost__extensions__queues__batchSize: string(queueConcurrency)
  AzureFunctionsJobHost__extensions__queues__newBatchThreshold: '0'
  AzureFunctionsJobHost__extensions__queues__maxDequeueCount: string(maxDeliveryCount)
  SyncSchedule: syncSchedule
  CleanupSchedule: cleanupSchedule
}

var engineSettings = {
  ScimSync__JobsFile: jobsFile
  ScimSync__Identity__ManagedIdentityClientId: identityClientId
  ScimSync__Scale__MaxInstances: string(maximumInstanceCount)
  ScimSync__State__TableServiceUri: storageTableEndpoint
  ScimSync__Queue__QueueServiceUri: storageQueueEndpoint
  ScimSync__Queue__QueueName: workQueueName
  ScimSync__Queue__Transport: useServiceBus ? 'ServiceBus' : 'StorageQueue'
  ScimSync__Queue__MaxDequeueCount: string(maxDeliveryCount)
}

var serviceBusSettings = {
  ScimSync__Queue__ServiceBus__FullyQualifiedNamespace: serviceBusNamespace
  ScimSync__Queue__ServiceBus__QueueName: serviceBusQueueName
}

var tokenSettings = toObject(scimTokenSettings, name => name, name => '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=${name})')

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

resource app 'Microsoft.Web/sites@2024-04-01' = {
  name: appName
  location: location
  tags: union(tags, { 'azd-service-name': 'functions' })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identityId
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: deploymentContainerUrl
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
  }

  resource settings 'config' = {
    name: 'appsettings'
    properties: union(hostSettings, engineSettings, useServiceBus ? serviceBusSettings : {}, tokenSettings)
  }

  // Deployments go through Entra-authenticated publishing (azd, the CLI), never with basic credentials.
  resource ftp 'basicPublishingCredentialsPolicies' = {
    name: 'ftp'
    properties: {
      allow: false
    }
  }

  resource scm 'basicPublishingCredentialsPolicies' = {
    name: 'scm'
    properties: {
      allow: false
    }
  }
}

output name string = app.name
output defaultHostName string = app.properties.defaultHostName
