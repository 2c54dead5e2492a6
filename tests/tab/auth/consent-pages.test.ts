import type * as MsalBrowser from '@azure/msal-browser';
import { webcrypto } from 'node:crypto';
import { TextDecoder, TextEncoder } from 'node:util';
import { run as runAuthEnd } from '../../../tab/src/auth/consent/auth-end';
import { CLIENT_ID_KEY, run as runAuthStart } from '../../../tab/src/auth/consent/auth-start';

// The two boundaries: teams-js (the pop-up's host) and msal-browser (Microsoft Entra).
// Mocks reach their fns lazily: the pages import both modules at load time.
const teams = { initialize: jest.fn(), notifySuccess: jest.fn(), notifyFailure: jest.fn() };
jest.mock('@microsoft/teams-js', () => ({
  app: { initialize: () => teams.initialize() },
  authentication: {
    notifySuccess: (result?: string) => teams.notifySuccess(result),
    notifyFailure: (reason?: string) => teams.notifyFailure(reason),
  },
}));
const msal = { loginRedirect: jest.fn(), handleRedirectPromise: jest.fn() };
const createPublicClientApplication = jest.fn();
jest.mock('@azure/msal-browser', () => ({
  PublicClientApplication: { createPublicClientApplication: (config: unknown) => createPublicClientApplication(config) },
}));

const origin = 'https://portal.example.com';
const msalConfig = {
  auth: {
    clientId: 'client-1',
    authority: 'https://login.microsoftonline.com/organizations',
    redirectUri: 'https://portal.example.com/auth-end.html',
    navigateToLoginRequestUrl: false,
  },
  cache: { cacheLocation: 'sessionStorage' },
};

/** The query TeamsUserCredential.login(scopes) (teamsfx v3) puts on initiateLoginEndpoint. */
function teamsfxQuery(clientId: string, scopes: string[], loginHint: string): string {
  return `?clientId=${clientId}&scope=${encodeURI(scopes.join(' '))}&loginHint=${loginHint}`;
}

beforeEach(() => {
  jest.clearAllMocks();
  sessionStorage.clear();
  teams.initialize.mockResolvedValue(undefined);
  createPublicClientApplication.mockResolvedValue(msal);
  msal.loginRedirect.mockResolvedValue(undefined);
});

describe('auth-start.html', () => {
  it('sends the pop-up to Entra: code flow with PKCE (msal loginRedirect) for the client, scopes and user', async () => {
    const search = teamsfxQuery('client-1', ['User.Read', 'Mail.Read'], 'ada@contoso.com');
    await runAuthStart({ search, origin });

    expect(teams.initialize).toHaveBeenCalled();
    expect(createPublicClientApplication).toHaveBeenCalledWith(msalConfig);
    expect(teams.initialize.mock.invocationCallOrder[0]).toBeLessThan(
      createPublicClientApplication.mock.invocationCallOrder[0]!,
    );
    expect(msal.loginRedirect).toHaveBeenCalledWith({
      scopes: ['User.Read', 'Mail.Read'],
      loginHint: 'ada@contoso.com',
    });
    // auth-end needs the client id back; the redirect URI carries no query.
    expect(sessionStorage.getItem(CLIENT_ID_KEY)).toBe('client-1');
    expect(teams.notifyFailure).not.toHaveBeenCalled();
  });

  it('leaves the login hint out when teamsfx has none', async () => {
    await runAuthStart({ search: teamsfxQuery('client-1', ['User.Read'], ''), origin });
    expect(msal.loginRedirect).toHaveBeenCalledWith({ scopes: ['User.Read'], loginHint: undefined });
  });

  it('closes the pop-up with a reason when opened without a client id, or when msal fails', async () => {
    await runAuthStart({ search: '?scope=User.Read', origin });
    expect(teams.notifyFailure).toHaveBeenCalledWith('The sign-in page was opened without a client id');
    expect(createPublicClientApplication).not.toHaveBeenCalled();

    msal.loginRedirect.mockRejectedValue(new Error('interaction_in_progress: Interaction is currently in progress.'));
    await runAuthStart({ search: teamsfxQuery('client-1', ['User.Read'], ''), origin });
    expect(teams.notifyFailure).toHaveBeenLastCalledWith('interaction_in_progress: Interaction is currently in progress.');
  });
});

describe('auth-start.html with the real msal-browser', () => {
  // jsdom has neither WebCrypto's digest nor TextEncoder/TextDecoder; msal needs them (S256 challenge, state).
  const jsdomCrypto = globalThis.crypto;
  beforeAll(() => {
    Object.defineProperty(globalThis, 'crypto', { value: webcrypto, configurable: true });
    globalThis.TextEncoder ??= TextEncoder;
    globalThis.TextDecoder ??= TextDecoder as typeof globalThis.TextDecoder;
  });
  afterAll(() => Object.defineProperty(globalThis, 'crypto', { value: jsdomCrypto, configurable: true }));

  it('navigates to the authorize endpoint with response_type=code and an S256 code challenge', async () => {
    const real = jest.requireActual<typeof MsalBrowser>('@azure/msal-browser');
    const navigateExternal = jest.fn(async (_url: string) => true);
    // Our config, plus a navigation client that records the URL instead of leaving the page.
    createPublicClientApplication.mockImplementation((config: MsalBrowser.Configuration) =>
      real.PublicClientApplication.createPublicClientApplication({
        ...config,
        system: { navigationClient: { navigateExternal, navigateInternal: async () => true } },
      }),
    );
    await runAuthStart({ search: teamsfxQuery('client-1', ['User.Read'], 'ada@contoso.com'), origin });

    expect(teams.notifyFailure).not.toHaveBeenCalled();
    const authorize = new URL(navigateExternal.mock.calls[0]![0]);
    expect(authorize.origin + authorize.pathname).toBe(
      'https://login.microsoftonline.com/organizations/oauth2/v2.0/authorize',
    );
    expect(Object.fromEntries(authorize.searchParams)).toMatchObject({
      client_id: 'client-1',
      response_type: 'code',
      redirect_uri: 'https://portal.example.com/auth-end.html',
      scope: expect.stringContaining('User.Read'),
      login_hint: 'ada@contoso.com',
      code_challenge: expect.stringMatching(/^[\w-]{43}$/),
      code_challenge_method: 'S256',
    });
  });
});

describe('auth-end.html', () => {
  const msalCacheEntry = ['msal.token.keys.client-1', '{"idToken":["id-1"],"accessToken":["at-1"]}'] as const;

  beforeEach(() => {
    sessionStorage.setItem(CLIENT_ID_KEY, 'client-1');
    sessionStorage.setItem(...msalCacheEntry);
  });

  it("lets msal redeem the code, then notifies success with msal's session cache for the tab", async () => {
    msal.handleRedirectPromise.mockResolvedValue({ accessToken: 'at-1', account: { username: 'ada@contoso.com' } });
    await runAuthEnd(origin);

    expect(teams.initialize).toHaveBeenCalled();
    expect(createPublicClientApplication).toHaveBeenCalledWith(msalConfig);
    expect(msal.handleRedirectPromise).toHaveBeenCalled();
    expect(teams.notifyFailure).not.toHaveBeenCalled();
    expect(teams.notifySuccess).toHaveBeenCalledTimes(1);
    // What teamsfx v3 does with it: JSON.parse, refuse `code`, copy `sessionStorage`.
    const result = JSON.parse(teams.notifySuccess.mock.calls[0]![0] as string);
    expect(result).toEqual({ sessionStorage: { [msalCacheEntry[0]]: msalCacheEntry[1] } });
    expect(sessionStorage.getItem(CLIENT_ID_KEY)).toBeNull();
  });

  it('notifies failure with the reason when msal throws', async () => {
    msal.handleRedirectPromise.mockRejectedValue(new Error('access_denied: AADSTS65004: User declined to consent.'));
    await runAuthEnd(origin);
    expect(teams.notifyFailure).toHaveBeenCalledWith('access_denied: AADSTS65004: User declined to consent.');
    expect(teams.notifySuccess).not.toHaveBeenCalled();
  });

  it('notifies failure when there is no sign-in response or the sign-in did not start on auth-start', async () => {
    msal.handleRedirectPromise.mockResolvedValue(null);
    await runAuthEnd(origin);
    expect(teams.notifyFailure).toHaveBeenCalledWith('Microsoft Entra sent no sign-in response');

    sessionStorage.clear();
    await runAuthEnd(origin);
    expect(teams.notifyFailure).toHaveBeenLastCalledWith('The sign-in did not start from auth-start.html');
    expect(teams.notifySuccess).not.toHaveBeenCalled();
  });
});
