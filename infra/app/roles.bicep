// Built-in Azure role definitions the deployment assigns, by id. Each is the narrowest role that lets the app (or
// its alert rule) do its work; nothing here may be Owner, Contributor, User Access Administrator or a data-owner role.

@export()
@description('Built-in role definition ids, named after the role each one is.')
var roles = {
  // Storage Blob Data Contributor: read, write and lease blobs (host storage, deployment package).
  storageBlobDataContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
  // Storage Queue Data Contributor: send, receive and delete queue messages (work items, poison records).
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  // Storage Table Data Contributor: read and write entities (job state, watermarks, object state, logs).
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  // Key Vault Secrets User: read secret values (the SCIM tokens) and nothing else.
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6'
  // Azure Service Bus Data Sender: send messages to the work queue.
  serviceBusDataSender: '69a216fc-b8fb-44d8-bc22-1f3c2552ae39'
  // Azure Service Bus Data Receiver: receive and settle messages from the work queue.
  serviceBusDataReceiver: '4f6d3b08-988c-4b3b-a8f3-b2c5a5d79a3d'
  // Log Analytics Reader: the alert rule's own identity reads the app's traces.
  logAnalyticsReader: '73c42c96-874c-492b-b04d-ab87d138a893'
  // Monitoring Metrics Publisher: send telemetry to Application Insights with Entra authentication.
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
}
