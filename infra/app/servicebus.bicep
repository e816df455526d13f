param name string
param location string
param tags object

@description('The work queue; duplicate detection drops a work item sent twice under the same id.')
param queueName string

@description('Principal id of the only identity that sends to and receives from the queue.')
param appPrincipalId string

@description('Deliveries after which a message is dead-lettered.')
param maxDeliveryCount int

import { roles } from 'roles.bicep'

resource namespace 'Microsoft.ServiceBus/namespaces@2022-10-01-preview' = {
  name: name
  location: location
  tags: tags
  sku: {
    name: 'Standard'
    tier: 'Standard'
  }
  properties: {
    // No SAS keys: only Entra identities with a role on the queue can use it.
    disableLocalAuth: true
    minimumTlsVersion: '1.2'
  }

  resource queue 'queues' = {
    name: queueName
    properties: {
      requiresDuplicateDetection: true
      duplicateDetectionHistoryTimeWindow: 'PT1H'
      maxDeliveryCount: maxDeliveryCount
      lockDuration: 'PT5M'
      deadLetteringOnMessageExpiration: true
    }
  }
}

// Both roles on the queue alone, not the namespace: the identity can touch nothing else there.
resource sender 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(namespace::queue.id, appPrincipalId, roles.serviceBusDataSender)
  scope: namespace::queue
  properties: {
    // Azure Service Bus Data Sender
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.serviceBusDataSender)
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

resource receiver 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(namespace::queue.id, appPrincipalId, roles.serviceBusDataReceiver)
  scope: namespace::queue
  properties: {
    // Azure Service Bus Data Receiver
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.serviceBusDataReceiver)
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

output fullyQualifiedNamespace string = '${namespace.name}.servicebus.windows.net'
output queueName string = namespace::queue.name
