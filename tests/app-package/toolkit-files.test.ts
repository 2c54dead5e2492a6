import fs from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import { parse as parseYaml } from 'yaml';
import { placeholdersIn } from '../../scripts/app-package/placeholders';
import { envFile, read, ROOT } from './support';

/** Which files each environment's Toolkit run fills in. */
const FILES: Record<string, string[]> = {
  dev: ['teamsapp.yml', 'aad.manifest.json', 'infra/azure.parameters.json', 'appPackage/manifest.json'],
  local: ['teamsapp.local.yml', 'aad.manifest.json', 'appPackage/manifest.json'],
  testtool: ['teamsapp.testtool.yml'],
};
/** Variables the Toolkit itself provides. */
const BUILT_IN = ['TEAMSFX_ENV'];

describe('the Teams Toolkit project', () => {
  it.each(['teamsapp.yml', 'teamsapp.local.yml', 'teamsapp.testtool.yml'])('%s parses, on project file format v1.5 or later', (file) => {
    const project = parseYaml(read(file)) as { version: string; environmentFolderPath: string };
    const [, minor] = /^v1\.(\d+)$/.exec(project.version) ?? [];
    expect(Number(minor)).toBeGreaterThanOrEqual(5);
    expect(project.environmentFolderPath).toBe('./env');
    expect(read(file)).toContain(`$schema=https://aka.ms/teams-toolkit/${project.version}/yaml.schema.json`);
  });

  it.each(['teamsapp.yml', 'teamsapp.local.yml', 'teamsapp.testtool.yml'])(
    "%s validates against the Toolkit's own schema for its version (every action's required inputs)",
    (file) => {
      // A copy of resource/yaml-schema/v1.8/yaml.schema.json from @microsoft/teamsfx-core (MIT): offline.
      const schema = JSON.parse(read('tests/app-package/schemas/teamsapp.yaml.schema.v1.8.json')) as object;
      const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
      const project = parseYaml(read(file)) as unknown;
      expect(validate(project) ? [] : validate.errors).toEqual([]);
    },
  );

  it('teamsapp.yml provisions the Entra app, the bot, Azure and the Teams app, deploys to App Service and publishes', () => {
    const project = parseYaml(read('teamsapp.yml')) as Record<string, { uses: string; with?: Record<string, unknown> }[]>;
    const uses = (stage: string) => project[stage]!.map((step) => step.uses);
    expect(uses('provision')).toEqual(
      expect.arrayContaining(['aadApp/create', 'aadApp/update', 'teamsApp/create', 'arm/deploy', 'teamsApp/zipAppPackage', 'teamsApp/update']),
    );
    expect(project.provision!.find((s) => s.uses === 'aadApp/update')!.with!.manifestPath).toBe('./aad.manifest.json');
    expect(uses('deploy')).toContain('azureAppService/zipDeploy');
    expect(uses('publish')).toContain('teamsApp/publishAppPackage');
  });

  it('the testtool project runs without an Entra app or a bot registration', () => {
    const text = read('teamsapp.testtool.yml');
    expect(text).not.toMatch(/aadApp\/|botFramework\/|arm\/deploy/);
  });

  it('aad.manifest.json parses, exposes access_as_user and pre-authorises the Teams clients', () => {
    const aad = JSON.parse(read('aad.manifest.json')) as Record<string, any>;
    expect(aad.signInAudience).toBe('AzureADMultipleOrgs');
    expect(aad.oauth2Permissions.map((p: { value: string }) => p.value)).toEqual(['access_as_user']);
    const clients = aad.preAuthorizedApplications.map((p: { appId: string }) => p.appId);
    // Teams desktop/mobile and Teams web.
    expect(clients).toEqual(expect.arrayContaining(['1fec8e78-bce4-4aaf-ab1b-5451cc387264', '5e3ce6c0-2b1f-4285-8d4b-75ee78787346']));
    // The redirect URIs co-management needs, and ID tokens carrying directory roles (wids).
    const urls = aad.replyUrlsWithType.map((r: { url: string }) => r.url);
    expect(urls).toEqual(expect.arrayContaining(['${{TAB_ENDPOINT}}/api/v1/activation/signed-in', '${{TAB_ENDPOINT}}/api/v1/activation/consented']));
    expect(aad.groupMembershipClaims).toBe('DirectoryRole');
  });

  it.each(Object.entries(FILES))('every ${{VAR}} the %s files use is defined in its env file (secrets in the .user example)', (env, files) => {
    const defined = new Set([...Object.keys(envFile(env)), ...BUILT_IN]);
    const userExample = path.join(ROOT, 'env', `.env.${env}.user.example`);
    const secrets = new Set(fs.existsSync(userExample) ? Object.keys(envFile(env, '.user.example')) : []);
    for (const file of files) {
      for (const name of placeholdersIn(read(file))) {
        if (name.startsWith('SECRET_')) expect({ file, name, documented: secrets.has(name) }).toEqual({ file, name, documented: true });
        else expect({ file, name, defined: defined.has(name) }).toEqual({ file, name, defined: true });
      }
    }
  });

  it.each(Object.keys(FILES))('env/.env.%s holds no secret, and git ignores the .user files', (env) => {
    const values = envFile(env);
    expect(Object.keys(values).filter((name) => name.startsWith('SECRET_'))).toEqual([]);
    expect(read('.gitignore')).toMatch(/^env\/\.env\.\*\.user$/m);
  });

  it('the Bicep template takes every parameter azure.parameters.json gives it, and outputs what the env file expects', () => {
    const bicep = read('infra/azure.bicep');
    const declared = [...bicep.matchAll(/^param (\w+)/gm)].map((m) => m[1]);
    const given = Object.keys((JSON.parse(read('infra/azure.parameters.json')) as { parameters: object }).parameters);
    expect(given.filter((name) => !declared.includes(name))).toEqual([]);
    expect(bicep).toMatch(/@secure\(\)\s*\n(@description\([^)]*\)\s*\n)?param mongodbUri string/);
    const outputs = [...bicep.matchAll(/^output (\w+)/gm)].map((m) => m[1]!);
    const dev = Object.keys(envFile('dev'));
    expect(outputs.filter((name) => !dev.includes(name))).toEqual([]);
    // The app settings the deployed app needs to run as a real deployment.
    for (const setting of ['MONGODB_URI', 'PUBLIC_URL', 'ENTRA_CLIENT_ID', 'ENTRA_CLIENT_SECRET', 'BOT_ID', 'BOT_PASSWORD', 'BOT_TENANT_ID']) {
      expect(bicep).toMatch(new RegExp(`^\\s+${setting}: `, 'm'));
    }
  });
});
