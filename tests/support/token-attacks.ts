import { generateKeyPair } from 'jose';
import { ENTRA_CLIENT_ID, TEAMS_CLIENT_APP, ssoClaims, unsignedToken, type FakeEntra } from './entra-tokens';

/** A bearer token the API must refuse with 401, the code it answers and what its message says. */
export interface TokenAttack {
  name: string;
  token(entra: FakeEntra): Promise<string>;
  code: string;
  message: RegExp;
}

const OTHER_CLIENT_APP = '99999999-8888-7777-6666-555555555555';
const V1_ISSUER = 'https://sts.windows.net/partner-a-tenant/';

/**
 * Every token the red team tried, each refused on its own ground. Used against
 * the validator itself and through the HTTP API in Entra mode.
 */
export const TOKEN_ATTACKS: TokenAttack[] = [
  { name: 'expired', token: (e) => e.token({ expiresIn: -600 }), code: 'token_expired', message: /expired/ },
  { name: 'for another audience', token: (e) => e.token({ aud: 'api://someone-else' }), code: 'invalid_token', message: /aud/ },
  {
    name: 'from an issuer that is not Entra',
    token: (e) => e.token({ iss: 'https://evil.example.com/partner-a-tenant/v2.0' }),
    code: 'invalid_token',
    message: /not issued by the Microsoft Entra tenant/,
  },
  {
    name: 'from the Entra issuer of another tenant than its tid',
    token: (e) => e.token({ tid: 'partner-a-tenant', iss: 'https://login.microsoftonline.com/partner-b-tenant/v2.0' }),
    code: 'invalid_token',
    message: /not issued by the Microsoft Entra tenant/,
  },
  {
    name: 'with a bad signature (another key, the known kid)',
    token: async (e) => e.token({}, { key: (await generateKeyPair('RS256')).privateKey }),
    code: 'invalid_token',
    message: /signature/,
  },
  {
    name: 'with a payload changed after signing',
    token: async (e) => {
      const [header, , signature] = (await e.token()).split('.');
      const forged = Buffer.from(JSON.stringify(ssoClaims({ tid: 'partner-b-tenant', iss: 'https://login.microsoftonline.com/partner-b-tenant/v2.0' }))).toString('base64url');
      return `${header}.${forged}.${signature}`;
    },
    code: 'invalid_token',
    message: /signature/,
  },
  {
    name: 'signed with an unknown kid',
    token: async (e) => e.token({}, { kid: 'unknown-kid', key: (await generateKeyPair('RS256')).privateKey }),
    code: 'invalid_token',
    message: /unknown key/,
  },
  { name: 'unsigned (alg none)', token: async () => unsignedToken(ssoClaims()), code: 'invalid_token', message: /RS256/ },
  { name: 'HS256, signed with the public key', token: async (e) => e.hs256WithPublicKey(ssoClaims()), code: 'invalid_token', message: /RS256/ },
  {
    name: 'without tid',
    token: (e) => e.token({ tid: undefined, iss: 'https://login.microsoftonline.com/partner-a-tenant/v2.0' }),
    code: 'invalid_token',
    message: /tid/,
  },
  { name: 'without oid', token: (e) => e.token({ oid: undefined }), code: 'invalid_token', message: /oid/ },
  { name: 'without iat', token: (e) => e.token({ issuedIn: null }), code: 'invalid_token', message: /iat/ },
  { name: 'that is not a JWT at all', token: async () => 'not-a-token', code: 'invalid_token', message: /not valid/ },
  {
    name: 'app-only (roles, idtyp app)',
    token: (e) => e.token({ scp: undefined, azp: OTHER_CLIENT_APP, roles: ['Partners.ReadWrite.All'], idtyp: 'app', oid: 'service-principal-1' }),
    code: 'not_a_user_token',
    message: /App-only/,
  },
  {
    name: 'from client credentials without scp (roles, no idtyp)',
    token: (e) => e.token({ scp: undefined, azp: ENTRA_CLIENT_ID, roles: ['Partners.ReadWrite.All'], oid: 'service-principal-1' }),
    code: 'not_a_user_token',
    message: /App-only/,
  },
  {
    name: 'an ID token (aud = client id, no scp)',
    token: (e) => e.token({ aud: ENTRA_CLIENT_ID, scp: undefined, azp: undefined, nonce: 'n-0S6_WzA2Mj' }),
    code: 'not_a_user_token',
    message: /ID token/,
  },
  { name: 'with another scope only', token: (e) => e.token({ scp: 'User.Read Mail.Read' }), code: 'scope_missing', message: /access_as_user/ },
  {
    name: 'with a scope that merely contains access_as_user',
    token: (e) => e.token({ scp: 'access_as_user.all' }),
    code: 'scope_missing',
    message: /access_as_user/,
  },
  {
    name: 'with access_as_user but idtyp app',
    token: (e) => e.token({ idtyp: 'app' }),
    code: 'not_a_user_token',
    message: /App-only/,
  },
  { name: 'issued in the future (iat)', token: (e) => e.token({ issuedIn: 600, notBeforeIn: -60 }), code: 'token_not_yet_valid', message: /iat/ },
  { name: 'not valid yet (nbf in the future)', token: (e) => e.token({ notBeforeIn: 600 }), code: 'token_not_yet_valid', message: /nbf/ },
  {
    name: 'asked for by a client app that is not accepted (azp)',
    token: (e) => e.token({ azp: OTHER_CLIENT_APP }),
    code: 'client_app_not_accepted',
    message: new RegExp(OTHER_CLIENT_APP),
  },
  { name: 'v2 naming no client app (no azp)', token: (e) => e.token({ azp: undefined }), code: 'client_app_not_accepted', message: /azp/ },
  {
    name: 'v1 from a client app that is not accepted (appid)',
    token: (e) => e.token({ iss: V1_ISSUER, appid: OTHER_CLIENT_APP }),
    code: 'client_app_not_accepted',
    message: new RegExp(OTHER_CLIENT_APP),
  },
  {
    name: 'v1 whose appid is not accepted, with an accepted azp beside it',
    token: (e) => e.token({ iss: V1_ISSUER, appid: OTHER_CLIENT_APP, azp: TEAMS_CLIENT_APP }),
    code: 'client_app_not_accepted',
    message: new RegExp(OTHER_CLIENT_APP),
  },
];
