// App Service (Linux, Node) serving the tab, the API and the bot at /api/messages,
// plus the Azure Bot registration (single tenant) with the Teams channel.
// Outputs are written to env/.env.<env> by the Toolkit's arm/deploy (names upper-cased).
@maxLength(20)
@minLength(4)
@description('Used to generate names for all resources in this file')
param resourceBaseName string
param location string = resourceGroup().location
param webAppSku string = 'B1'

@maxLength(42)
param botDisplayName string
@description('Client id of the bot\'s single-tenant Entra app (BOT_ID)')
param botId string
param botTenantId string
@secure()
param botPassword string

@description('The Teams app id (TEAMS_APP_ID): alert cards deep-link into its tab')
param teamsAppId string = ''

@description('Client id of the SSO/Graph Entra app (AAD_APP_CLIENT_ID)')
param entraClientId string
@secure()
param entraClientSecret string

@description('The carrier backend\'s Crossbar base URL (BACKEND_URL); the app refuses to start without it')
param backendUrl string
@secure()
@description('The carrier backend\'s API key (BACKEND_API_KEY)')
param backendApiKey string

@secure()
@description('MongoDB connection string')
param mongodbUri string
param mongodbDb string = 'partner-portal'

resource plan 'Microsoft.Web/serverfarms@2023-12-01' = {
  name: resourceBaseName
  location: location
  kind: 'linux'
  sku: {
    name: webAppSku
  }
  properties: {
    reserved: true // Linux
  }
}

resource webApp 'Microsoft.Web/sites@2023-12-01' = {
  name: resourceBaseName
  location: location
  kind: 'app,linux'
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    siteConfig: {
      linuxFxVersion: 'NODE|22-lts'
      // Not `npm start`: its prestart runs the build, which needs devDependencies.
      appCommandLine: 'node --disable-warning=DEP0111 dist/server/main.js'
      alwaysOn: true
      ftpsState: 'Disabled'
      minTlsVersion: '1.2'
    }
  }
}

var host = webApp.properties.defaultHostName

// A separate resource so the settings can use the site's own host name.
resource appSettings 'Microsoft.Web/sites/config@2023-12-01' = {
  parent: webApp
  name: 'appsettings'
  properties: {
    WEBSITE_RUN_FROM_PACKAGE: '1'
    SCM_DO_BUILD_DURING_DEPLOYMENT: 'false'
    HOST: '0.0.0.0'
    SEED_DEMO_DATA: 'false'
    PUBLIC_URL: 'https://${host}'
    MONGODB_URI: mongodbUri
    MONGODB_DB: mongodbDb
    BACKEND_URL: backendUrl
    BACKEND_API_KEY: backendApiKey
    ENTRA_CLIENT_ID: entraClientId
    ENTRA_CLIENT_SECRET: entraClientSecret
    ENTRA_APP_ID_URI: 'api://${host}/${entraClientId}'
    BOT_ID: botId
    BOT_PASSWORD: botPassword
    BOT_TENANT_ID: botTenantId
    TEAMS_APP_ID: teamsAppId
  }
}

resource botService 'Microsoft.BotService/botServices@2022-09-15' = {
  name: resourceBaseName
  location: 'global'
  kind: 'azurebot'
  sku: {
    name: 'F0'
  }
  properties: {
    displayName: botDisplayName
    endpoint: 'https://${host}/api/messages'
    msaAppId: botId
    msaAppType: 'SingleTenant'
    msaAppTenantId: botTenantId
  }
}

resource teamsChannel 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: botService
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
  }
}

output AZURE_APP_SERVICE_RESOURCE_ID string = webApp.id
output TAB_DOMAIN string = host
output TAB_ENDPOINT string = 'https://${host}'
output BOT_DOMAIN string = host
output BOT_ENDPOINT string = 'https://${host}'
