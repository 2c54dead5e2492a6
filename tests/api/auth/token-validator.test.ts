import nock from 'nock';
import { createRemoteJWKSet } from 'jose';
import { createDevSignIn, DEV_SIGN_IN_CLIENT_APP } from '../../../api/auth/dev-sign-in';
import { createTokenValidator, type TokenValidator } from '../../../api/auth/token-validator';
import { LOCAL_AUDIENCE, TEAMS_AND_OFFICE_CLIENT_APPS } from '../../../api/settings/settings';
import { ENTRA_APP_ID_URI, ENTRA_CLIENT_ID, FakeEntra, JWKS_URL } from '../../support/entra-tokens';
import { TOKEN_ATTACKS } from '../../support/token-attacks';

describe('createTokenValidator with an Entra key set', () => {
  let entra: FakeEntra;
  let validate: TokenValidator;

  beforeAll(async () => {
    nock.disableNetConnect();
    entra = await FakeEntra.create();
    entra.serveJwks();
    validate = createTokenValidator({
      audiences: [ENTRA_CLIENT_ID, ENTRA_APP_ID_URI],
      keys: createRemoteJWKSet(new URL(JWKS_URL)),
      clockSkewSeconds: 5,
      clientApps: [...TEAMS_AND_OFFICE_CLIENT_APPS, ENTRA_CLIENT_ID],
    });
  });
  afterAll(() => {
    nock.cleanAll();
    nock.enableNetConnect();
  });

  it('accepts a Teams SSO token (v2) and reads tid, oid and name', async () => {
    const token = await entra.token({ tid: 'tenant-1', oid: 'user-9', name: 'Ann' });
    await expect(validate(token)).resolves.toEqual({ tenantId: 'tenant-1', userId: 'user-9', name: 'Ann', globalAdministrator: false });
  });

  it('accepts the v1 shape for the same tenant, its client app in appid', async () => {
    const token = await entra.token({ tid: 'tenant-1', iss: 'https://sts.windows.net/tenant-1/' });
    await expect(validate(token)).resolves.toMatchObject({ tenantId: 'tenant-1' });
  });

  it.each(TEAMS_AND_OFFICE_CLIENT_APPS)('accepts user tokens asked for by the Teams or Office client %s', async (client) => {
    await expect(validate(await entra.token({ azp: client }))).resolves.toMatchObject({ userId: 'user-1' });
    await expect(validate(await entra.token({ iss: 'https://sts.windows.net/partner-a-tenant/', appid: client }))).resolves.toMatchObject({
      userId: 'user-1',
    });
  });

  it("accepts the app's own client id as the client app", async () => {
    await expect(validate(await entra.token({ azp: ENTRA_CLIENT_ID }))).resolves.toMatchObject({ userId: 'user-1' });
  });

  it('accepts access_as_user among other scopes, and idtyp user', async () => {
    await expect(validate(await entra.token({ scp: 'User.Read access_as_user openid', idtyp: 'user' }))).resolves.toMatchObject({
      userId: 'user-1',
    });
  });

  it('reads the Global Administrator directory role from wids, and only that role', async () => {
    const global = await entra.token({ tid: 'tenant-1', oid: 'user-9', wids: ['b79fbf4d-3ef9-4689-8143-76b194e85509', '62e90394-69f5-4237-9190-012177145e10'] });
    await expect(validate(global)).resolves.toMatchObject({ globalAdministrator: true });
    const helpdesk = await entra.token({ tid: 'tenant-1', oid: 'user-9', wids: ['729827e3-9c14-49f7-bb1b-9608f156bbb8'] });
    await expect(validate(helpdesk)).resolves.toMatchObject({ globalAdministrator: false });
    const odd = await entra.token({ tid: 'tenant-1', oid: 'user-9', wids: '62e90394-69f5-4237-9190-012177145e10' });
    await expect(validate(odd)).resolves.toMatchObject({ globalAdministrator: false });
  });

  it('accepts the Application ID URI as audience', async () => {
    const token = await entra.token({ aud: ENTRA_APP_ID_URI });
    await expect(validate(token)).resolves.toMatchObject({ tenantId: 'partner-a-tenant' });
  });

  it('treats tenant ids as opaque strings', async () => {
    const token = await entra.token({ tid: '00000000-0000-0000-0000-0000000000001' });
    await expect(validate(token)).resolves.toMatchObject({ tenantId: '00000000-0000-0000-0000-0000000000001' });
  });

  it('allows the configured clock skew on expiry, issue time and not-before', async () => {
    await expect(validate(await entra.token({ expiresIn: -2 }))).resolves.toMatchObject({ userId: 'user-1' });
    await expect(validate(await entra.token({ issuedIn: 2, notBeforeIn: 2 }))).resolves.toMatchObject({ userId: 'user-1' });
  });

  it.each(TOKEN_ATTACKS.map((attack) => [attack.name, attack] as const))('refuses a token %s with 401', async (_name, attack) => {
    const token = await attack.token(entra);
    await expect(validate(token)).rejects.toEqual(expect.objectContaining({ status: 401, code: attack.code, message: expect.stringMatching(attack.message) }));
  });
});

describe('the dev sign-in, through the same validator', () => {
  it('issues tokens naming its own client app, accepted only where that app is', async () => {
    const devSignIn = await createDevSignIn(LOCAL_AUDIENCE);
    const { token } = await devSignIn.issue({ tenantId: 'tenant-1', userId: 'ann' });
    const options = { audiences: [LOCAL_AUDIENCE], keys: devSignIn.keys, clockSkewSeconds: 60 };
    const local = createTokenValidator({ ...options, clientApps: [...TEAMS_AND_OFFICE_CLIENT_APPS, DEV_SIGN_IN_CLIENT_APP] });
    await expect(local(token)).resolves.toMatchObject({ tenantId: 'tenant-1', userId: 'ann' });
    const withoutDevSignIn = createTokenValidator({ ...options, clientApps: [...TEAMS_AND_OFFICE_CLIENT_APPS] });
    await expect(withoutDevSignIn(token)).rejects.toEqual(expect.objectContaining({ status: 401, code: 'client_app_not_accepted' }));
  });
});
