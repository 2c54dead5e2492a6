/**
 * /auth-start.html: the first page of Teams' consent pop-up.
 *
 * TeamsUserCredential.login() (@microsoft/teamsfx v3) opens it with
 * authentication.authenticate() as
 *   /auth-start.html?clientId=<app id>&scope=<scopes, space separated>&loginHint=<UPN or empty>
 * This page sends the pop-up to Microsoft Entra's authorize endpoint, which
 * comes back to /auth-end.html. Its own module (not the tab's), so the first
 * view never loads msal-browser.
 */
import { PublicClientApplication, type Configuration } from '@azure/msal-browser';
import { app, authentication } from '@microsoft/teams-js';

/**
 * Where auth-end finds the client id. Not in the redirect URI: that must match
 * the registered one exactly. sessionStorage lasts through the pop-up's round
 * trip to Entra (msal keeps its PKCE code verifier there too).
 */
export const CLIENT_ID_KEY = 'partner-portal.consent.clientId';

/** The same msal set-up on both pages: auth-end redeems the code auth-start asked for. */
export function msalConfig(clientId: string, origin: string): Configuration {
  return {
    auth: {
      clientId,
      // Partners sign in from their own tenants (multi-tenant app), with work or school accounts.
      authority: 'https://login.microsoftonline.com/organizations',
      // Registered in Entra as a single-page application redirect URI.
      redirectUri: `${origin}/auth-end.html`,
      // Finish on auth-end; going back to auth-start would only start over.
      navigateToLoginRequestUrl: false,
    },
    // TeamsUserCredential's own msal keeps its cache in sessionStorage: auth-end
    // hands these entries to the tab, which copies them into its own.
    cache: { cacheLocation: 'sessionStorage' },
  };
}

/** Teams closes the pop-up and teamsfx's login() rejects with this reason. */
export function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export async function run(page: Pick<Location, 'search' | 'origin'> = window.location): Promise<void> {
  // Teams expects its pop-up pages to initialise teams-js; notifyFailure needs it too.
  await app.initialize();
  try {
    const query = new URLSearchParams(page.search);
    const clientId = query.get('clientId');
    if (!clientId) throw new Error('The sign-in page was opened without a client id');
    sessionStorage.setItem(CLIENT_ID_KEY, clientId);
    const msal = await PublicClientApplication.createPublicClientApplication(msalConfig(clientId, page.origin));
    // Authorization code flow with PKCE: msal makes the code verifier and its
    // S256 challenge, keeps the verifier in sessionStorage, and navigates this
    // window to the authorize endpoint (openid, profile and offline_access are
    // added to the scopes by msal).
    await msal.loginRedirect({
      scopes: (query.get('scope') ?? '').split(' ').filter(Boolean),
      // teamsfx sends an empty loginHint when it has none.
      loginHint: query.get('loginHint') || undefined,
    });
  } catch (error) {
    // Without this the user would be left with a blank pop-up.
    authentication.notifyFailure(reasonOf(error));
  }
}

// Runs in its page; tests import the module and call run() themselves.
if (window.location.pathname.endsWith('/auth-start.html')) void run();
