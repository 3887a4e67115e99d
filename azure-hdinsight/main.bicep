// tilespark on Azure HDInsight 5.1 (Spark 3.3.1, Java 8, Ubuntu 18.04).
//
// Creates: an ADLS Gen2 account with the containers cluster / input / output, a user-assigned
// identity holding Storage Blob Data Owner on that account, and a Spark cluster whose default
// storage is the `cluster` container, reached through that identity (no account key anywhere).
//
// azuredeploy.json beside this file is the same template in ARM JSON, written by hand to match
// this file (no Bicep CLI was available). Regenerate it with:  az bicep build --file main.bicep
//
// Facts used: resource shapes from the Microsoft.HDInsight 2021-06-01 API (ClusterIdentity,
// StorageAccount with fileSystem/resourceId/msiResourceId for ADLS Gen2, Role.autoscale with
// capacity or recurrence); built-in role id b7e6dc6d-f1e8-4753-8033-0f276bb0955b is
// "Storage Blob Data Owner", ba92f5b4-2d11-453d-a403-e96b0029c9fe "Storage Blob Data Contributor".

targetScope = 'resourceGroup'

// ------------------------------------------------------------------------------ parameters

@description('Region for every resource. HDInsight 5.1 must be offered there.')
param location string = resourceGroup().location

@description('Cluster name. It is also the DNS name CLUSTER.azurehdinsight.net, so it must be unique across Azure.')
@minLength(3)
@maxLength(59)
param clusterName string

@description('ADLS Gen2 account name: 3-24 lowercase letters and digits, unique across Azure.')
@minLength(3)
@maxLength(24)
param storageAccountName string = 'tspark${uniqueString(resourceGroup().id)}'

@description('Name of the user-assigned identity through which the cluster reaches the storage account.')
param identityName string = '${clusterName}-storage'

@description('Cluster login for Ambari, Livy and the Spark/YARN UIs behind the gateway.')
param clusterLoginUserName string = 'admin'

@description('Cluster login password: 10+ characters with a digit, an upper- and a lower-case letter and a non-alphanumeric character.')
@secure()
param clusterLoginPassword string

@description('SSH user on the nodes. Must differ from the cluster login.')
param sshUserName string = 'sshuser'

@description('How sshPasswordOrKey is to be read.')
@allowed([
  'publicKey'
  'password'
])
param sshAuthenticationType string = 'publicKey'

@description('An SSH public key (ssh-rsa ...) or an SSH password, as sshAuthenticationType says.')
@secure()
param sshPasswordOrKey string

@description('VM size of the two head nodes (Ambari, YARN ResourceManager, Livy, Spark History).')
param headNodeSize string = 'Standard_E4_v3'

@description('VM size of the worker nodes, where the Spark executors and the driver run.')
param workerNodeSize string = 'Standard_E8_v3'

@description('Worker nodes at creation (and all the time when autoscaleMode is none).')
@minValue(1)
@maxValue(100)
param workerNodeCount int = 3

@description('none: fixed size. load: HDInsight adds and removes workers by YARN load. schedule: a fixed size per time window (nightStartTime..nightEndTime).')
@allowed([
  'none'
  'load'
  'schedule'
])
param autoscaleMode string = 'none'

@description('Load-based autoscale: fewest workers.')
@minValue(1)
param autoscaleMinWorkers int = 3

@description('Load-based autoscale: most workers.')
@minValue(1)
param autoscaleMaxWorkers int = 10

@description('Schedule-based autoscale: time zone of the times below (a Windows time zone id such as UTC or W. Europe Standard Time).')
param autoscaleTimeZone string = 'UTC'

@description('Schedule-based autoscale: when the night window opens (HH:mm); workers go to nightWorkerCount.')
param nightStartTime string = '22:00'

@description('Schedule-based autoscale: when the night window closes (HH:mm); workers go back to dayWorkerCount.')
param nightEndTime string = '06:00'

@description('Schedule-based autoscale: workers during the night window, when the nightly job runs.')
@minValue(1)
param nightWorkerCount int = 8

@description('Schedule-based autoscale: workers outside the night window.')
@minValue(1)
param dayWorkerCount int = 2

@description('Object id of a user, group or service principal that gets Storage Blob Data Contributor on the account, so it can upload images and the jar with --auth-mode login. Empty: nobody.')
param uploaderPrincipalId string = ''

@description('What uploaderPrincipalId is.')
@allowed([
  'User'
  'Group'
  'ServicePrincipal'
])
param uploaderPrincipalType string = 'User'

// ------------------------------------------------------------------------------ variables

var storageBlobDataOwnerRoleId = 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
var storageBlobDataContributorRoleId = 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
var containerNames = [
  'cluster'
  'input'
  'output'
]
var everyDay = [
  'Monday'
  'Tuesday'
  'Wednesday'
  'Thursday'
  'Friday'
  'Saturday'
  'Sunday'
]
var loadAutoscale = {
  capacity: {
    minInstanceCount: autoscaleMinWorkers
    maxInstanceCount: autoscaleMaxWorkers
  }
}
// Schedule-based rules set min = max: a fixed worker count from each rule's time on
// (the shape of Azure's own schedule-based autoscale quickstart).
var scheduleAutoscale = {
  recurrence: {
    timeZone: autoscaleTimeZone
    schedule: [
      {
        days: everyDay
        timeAndCapacity: {
          time: nightStartTime
          minInstanceCount: nightWorkerCount
          maxInstanceCount: nightWorkerCount
        }
      }
      {
        days: everyDay
        timeAndCapacity: {
          time: nightEndTime
          minInstanceCount: dayWorkerCount
          maxInstanceCount: dayWorkerCount
        }
      }
    ]
  }
}
var workerAutoscale = autoscaleMode == 'load' ? loadAutoscale : (autoscaleMode == 'schedule' ? scheduleAutoscale : null)
// ABFS host of the account: ACCOUNT.dfs.core.windows.net in the public cloud.
var dfsHost = '${storageAccountName}.dfs.${environment().suffixes.storage}'
var gateway = 'https://${clusterName}.azurehdinsight.net'

// ------------------------------------------------------------------------------ storage

resource storage 'Microsoft.Storage/storageAccounts@2023-01-01' = {
  name: storageAccountName
  location: location
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    isHnsEnabled: true // hierarchical namespace: this is what makes it ADLS Gen2
    accessTier: 'Hot'
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    allowBlobPublicAccess: false
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-01-01' existing = {
  parent: storage
  name: 'default'
}

resource containers 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-01-01' = [for name in containerNames: {
  parent: blobService
  name: name
  properties: {
    publicAccess: 'None'
  }
}]

// ------------------------------------------------------------------------------ identity

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: identityName
  location: location
}

// HDInsight's ADLS Gen2 guide: the cluster's identity needs Storage Blob Data Owner on the account.
resource identityOwnsBlobData 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, identity.id, storageBlobDataOwnerRoleId)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataOwnerRoleId)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

// Lets the person who deploys upload with `az storage fs file upload --auth-mode login`.
resource uploaderWritesBlobData 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(uploaderPrincipalId)) {
  name: guid(storage.id, uploaderPrincipalId, storageBlobDataContributorRoleId)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataContributorRoleId)
    principalId: uploaderPrincipalId
    principalType: uploaderPrincipalType
  }
}

// ------------------------------------------------------------------------------ cluster

resource cluster 'Microsoft.HDInsight/clusters@2021-06-01' = {
  name: clusterName
  location: location
  tags: {
    application: 'tilespark'
  }
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
  properties: {
    clusterVersion: '5.1'
    osType: 'Linux'
    tier: 'Standard'
    minSupportedTlsVersion: '1.2'
    clusterDefinition: {
      kind: 'spark'
      componentVersion: {
        Spark: '3.3'
      }
      configurations: {
        gateway: {
          'restAuthCredential.isEnabled': true
          'restAuthCredential.username': clusterLoginUserName
          'restAuthCredential.password': clusterLoginPassword
        }
      }
    }
    storageProfile: {
      storageaccounts: [
        {
          name: dfsHost
          isDefault: true
          fileSystem: 'cluster'
          resourceId: storage.id
          msiResourceId: identity.id
        }
      ]
    }
    computeProfile: {
      roles: [
        {
          name: 'headnode'
          targetInstanceCount: 2
          hardwareProfile: {
            vmSize: headNodeSize
          }
          osProfile: {
            linuxOperatingSystemProfile: sshAuthenticationType == 'password' ? {
              username: sshUserName
              password: sshPasswordOrKey
            } : {
              username: sshUserName
              sshProfile: {
                publicKeys: [
                  {
                    certificateData: sshPasswordOrKey
                  }
                ]
              }
            }
          }
        }
        {
          name: 'workernode'
          targetInstanceCount: workerNodeCount
          autoscale: workerAutoscale
          hardwareProfile: {
            vmSize: workerNodeSize
          }
          osProfile: {
            linuxOperatingSystemProfile: sshAuthenticationType == 'password' ? {
              username: sshUserName
              password: sshPasswordOrKey
            } : {
              username: sshUserName
              sshProfile: {
                publicKeys: [
                  {
                    certificateData: sshPasswordOrKey
                  }
                ]
              }
            }
          }
        }
      ]
    }
  }
  dependsOn: [
    containers
    identityOwnsBlobData
  ]
}

// ------------------------------------------------------------------------------ outputs
// Names and URLs only: no key, no password, no SAS.

output clusterName string = cluster.name
output storageAccountName string = storage.name
output ambariUrl string = gateway
output livyUrl string = '${gateway}/livy'
output sparkHistoryUrl string = '${gateway}/sparkhistory'
output yarnUrl string = '${gateway}/yarnui/hn/cluster'
output sshHost string = '${clusterName}-ssh.azurehdinsight.net'
output clusterStorageUri string = 'abfs://cluster@${dfsHost}/'
output inputUri string = 'abfs://input@${dfsHost}/'
output outputUri string = 'abfs://output@${dfsHost}/'
