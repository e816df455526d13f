param name string
param location string
param tags object

@description('Principal id of the identity that reads the secrets.')
param readerPrincipalId string

@secure()
@description('The SCIM bearer tokens: each key is the app setting a job names in target.tokenSetting, each value its token.')
param scimTokens object

import { roles } from 'roles.bicep'

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    // Access is granted by Azure role assignments only, never by vault access policies.
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 7
    publicNetworkAccess: 'Enabled'
  }
}

resource tokens 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = [for token in items(scimTokens): {
  parent: vault
  name: token.key
  properties: {
    value: token.value
    contentType: 'SCIM bearer token'
  }
}]

resource secretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, readerPrincipalId, roles.keyVaultSecretsUser)
  scope: vault
  properties: {
    // Key Vault Secrets User
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsUser)
    principalId: readerPrincipalId
    principalType: 'ServicePrincipal'
  }
}

output name string = vault.name
output uri string = vault.properties.vaultUri
