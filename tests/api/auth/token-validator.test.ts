import { generateKeyPair } from 'jose';
import nock from 'nock';
import { createRemoteJWKSet } from 'jose';
import { createTokenValidator, type TokenValidator } from '../../../api/auth/token-validator';
import { ENTRA_APP_ID_URI, ENTRA_CLIENT_ID, FakeEntra, JWKS_URL, unsignedToken } from '../../support/entra-tokens';

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
    });
  });
  afterAll(() => {
    nock.cleanAll();
    nock.enableNetConnect();
  });

  const refusal = (code: string) => expect.objectContaining({ status: 401, code });

  it('accepts a v2 token and reads tid, oid and name', async () => {
    const token = await entra.token({ tid: 'tenant-1', oid: 'user-9', name: 'Ann' });
    await expect(validate(token)).resolves.toEqual({ tenantId: 'tenant-1', userId: 'user-9', name: 'Ann', globalAdministrator: false });
  });

  it('reads the Global Administrator directory role from wids, and only that role', async () => {
    const global = await entra.token({ tid: 'tenant-1', oid: 'user-9', wids: ['b79fbf4d-3ef9-4689-8143-76b194e85509', '62e90394-69f5-4237-9190-012177145e10'] });
    await expect(validate(global)).resolves.toMatchObject({ globalAdministrator: true });
    const helpdesk = await entra.token({ tid: 'tenant-1', oid: 'user-9', wids: ['729827e3-9c14-49f7-bb1b-9608f156bbb8'] });
    await expect(validate(helpdesk)).resolves.toMatchObject({ globalAdministrator: false });
    const odd = await entra.token({ tid: 'tenant-1', oid: 'user-9', wids: '62e90394-69f5-4237-9190-012177145e10' });
    await expect(validate(odd)).resolves.toMatchObject({ globalAdministrator: false });
  });

  it('accepts the v1 issuer form for the same tenant', async () => {
    const token = await entra.token({ tid: 'tenant-1', iss: 'https://sts.windows.net/tenant-1/' });
    await expect(validate(token)).resolves.toMatchObject({ tenantId: 'tenant-1' });
  });

  it('accepts the Application ID URI as audience', async () => {
    const token = await entra.token({ aud: ENTRA_APP_ID_URI });
    await expect(validate(token)).resolves.toMatchObject({ tenantId: 'partner-a-tenant' });
  });

  it('treats tenant ids as opaque strings', async () => {
    const token = await entra.token({ tid: '00000000-0000-0000-0000-0000000000001' });
    await expect(validate(token)).resolves.toMatchObject({ tenantId: '00000000-0000-0000-0000-0000000000001' });
  });

  it('refuses an expired token', async () => {
    const token = await entra.token({ expiresIn: -120 });
    await expect(validate(token)).rejects.toEqual(refusal('token_expired'));
  });

  it('allows the configured clock skew', async () => {
    const token = await entra.token({ expiresIn: -2 });
    await expect(validate(token)).resolves.toMatchObject({ userId: 'user-1' });
  });

  it('refuses another audience', async () => {
    const token = await entra.token({ aud: 'api://someone-else' });
    await expect(validate(token)).rejects.toEqual(refusal('invalid_token'));
  });

  it('refuses an issuer that is not Entra', async () => {
    const token = await entra.token({ iss: 'https://evil.example.com/partner-a-tenant/v2.0' });
    await expect(validate(token)).rejects.toEqual(refusal('invalid_token'));
  });

  it('refuses an issuer naming another tenant than tid', async () => {
    const token = await entra.token({ tid: 'tenant-1', iss: 'https://login.microsoftonline.com/tenant-2/v2.0' });
    await expect(validate(token)).rejects.toEqual(refusal('invalid_token'));
  });

  it('refuses a bad signature', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const token = await entra.token({}, { key: privateKey });
    await expect(validate(token)).rejects.toEqual(refusal('invalid_token'));
  });

  it('refuses a tampered payload', async () => {
    const [header, , signature] = (await entra.token({ tid: 'tenant-1' })).split('.');
    const forged = Buffer.from(
      JSON.stringify({ tid: 'tenant-2', oid: 'x', aud: ENTRA_CLIENT_ID, exp: 9999999999, iss: 'https://login.microsoftonline.com/tenant-2/v2.0' }),
    ).toString('base64url');
    await expect(validate(`${header}.${forged}.${signature}`)).rejects.toEqual(refusal('invalid_token'));
  });

  it('refuses an unknown key id', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const token = await entra.token({}, { kid: 'unknown-kid', key: privateKey });
    await expect(validate(token)).rejects.toEqual(refusal('invalid_token'));
  });

  it('refuses alg none', async () => {
    const token = unsignedToken({
      tid: 'partner-a-tenant',
      oid: 'user-1',
      aud: ENTRA_CLIENT_ID,
      iss: 'https://login.microsoftonline.com/partner-a-tenant/v2.0',
      exp: Math.floor(Date.now() / 1000) + 3600,
    });
    await expect(validate(token)).rejects.toEqual(refusal('invalid_token'));
  });

  it('refuses a token without tid', async () => {
    const token = await entra.token({ tid: undefined, iss: 'https://login.microsoftonline.com/partner-a-tenant/v2.0' });
    await expect(validate(token)).rejects.toEqual(refusal('invalid_token'));
  });

  it('refuses a token without oid', async () => {
    const token = await entra.token({ oid: undefined });
    await expect(validate(token)).rejects.toEqual(refusal('invalid_token'));
  });

  it('refuses something that is not a JWT', async () => {
    await expect(validate('not-a-token')).rejects.toEqual(refusal('invalid_token'));
  });
});
