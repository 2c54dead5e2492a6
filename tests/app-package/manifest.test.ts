import { manifestProblems } from '../../scripts/app-package/manifest-schema';
import { fillPlaceholders, placeholdersIn } from '../../scripts/app-package/placeholders';
import { envFile, provisioned, read } from './support';

const TEMPLATE = read('appPackage/manifest.json');

describe('appPackage/manifest.json', () => {
  it('is on the Teams manifest schema 1.19 or later, and says so in $schema', () => {
    const manifest = JSON.parse(TEMPLATE) as { manifestVersion: string; $schema: string };
    const [major, minor] = manifest.manifestVersion.split('.').map(Number);
    expect(major).toBe(1);
    expect(minor).toBeGreaterThanOrEqual(19);
    expect(manifest.$schema).toBe(`https://developer.microsoft.com/json-schemas/teams/v${manifest.manifestVersion}/MicrosoftTeams.schema.json`);
  });

  it.each(['dev', 'local'])('filled in for env/.env.%s, validates against Microsoft\'s schema for its manifestVersion', (env) => {
    const manifest = JSON.parse(fillPlaceholders(TEMPLATE, provisioned(env))) as Record<string, any>;
    expect(manifestProblems(manifest)).toEqual([]);
    // The tab the server serves, in Teams mode; the bot; SSO for the tab's host.
    expect(manifest.staticTabs[0]).toMatchObject({ contentUrl: 'https://partner-portal.example.net/?inTeams=1', scopes: ['personal'] });
    expect(manifest.validDomains).toEqual(['partner-portal.example.net']);
    expect(manifest.webApplicationInfo.resource).toBe(`api://partner-portal.example.net/${manifest.webApplicationInfo.id}`);
    expect(manifest.bots[0].botId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it.each(['dev', 'local'])('every variable it uses is defined in env/.env.%s', (env) => {
    const defined = Object.keys(envFile(env));
    expect(placeholdersIn(TEMPLATE).filter((name) => !defined.includes(name))).toEqual([]);
  });

  it("lists the bot's commands with short descriptions", () => {
    const manifest = JSON.parse(TEMPLATE) as { bots: { commandLists: { commands: { title: string; description: string }[] }[] }[] };
    const commands = manifest.bots[0]!.commandLists[0]!.commands;
    expect(commands.map((c) => c.title)).toEqual([
      'help',
      'customers',
      'details',
      'numbers',
      'add numbers',
      'remove numbers',
      'sync',
      'users',
      'assign',
      'alerts',
    ]);
    for (const command of commands) expect(command.description.length).toBeLessThanOrEqual(128);
  });

  it('the bot is in personal chats, group chats and teams, with the alert commands in the last two', () => {
    const manifest = JSON.parse(TEMPLATE) as { bots: { scopes: string[]; commandLists: { scopes: string[]; commands: { title: string }[] }[] }[] };
    const [bot] = manifest.bots;
    expect(bot!.scopes).toEqual(['personal', 'team', 'groupChat']);
    const shared = bot!.commandLists.find((list) => list.scopes.includes('team'))!;
    expect(shared.scopes).toEqual(['team', 'groupChat']);
    expect(shared.commands.map((c) => c.title)).toEqual(expect.arrayContaining(['alerts on', 'alerts off', 'alerts']));
  });

  it('the schema check is not a formality: it refuses a broken manifest', () => {
    const manifest = JSON.parse(fillPlaceholders(TEMPLATE, provisioned('dev'))) as Record<string, any>;
    expect(manifestProblems({ ...manifest, id: 'not-a-guid' }).join('\n')).toMatch(/\/id/);
    expect(manifestProblems({ ...manifest, accentColor: 'blue' }).join('\n')).toMatch(/accentColor/);
    expect(manifestProblems({ ...manifest, surprise: true })).not.toEqual([]);
    const noBotId = { ...manifest, bots: [{ ...manifest.bots[0], botId: undefined }] };
    expect(manifestProblems(noBotId).join('\n')).toMatch(/botId/);
    expect(() => manifestProblems({ ...manifest, manifestVersion: '1.18' })).toThrow(/no published Teams manifest schema/);
  });
});
