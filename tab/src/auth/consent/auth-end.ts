/**
 * /auth-end.html: Microsoft Entra's redirect URI, the last page of Teams'
 * consent pop-up. msal redeems the authorization code (with the PKCE verifier
 * auth-start left in sessionStorage); then Teams is told how it went, closes
 * the pop-up, and TeamsUserCredential.login() resolves or rejects.
 */
import { PublicClientApplication } from '@azure/msal-browser';
import { app, authentication } from '@microsoft/teams-js';
// auth-start only runs on its own page, so importing it here runs nothing.
import { CLIENT_ID_KEY, msalConfig, reasonOf } from './auth-start';

export async function run(origin: string = window.location.origin): Promise<void> {
  await app.initialize();
  try {
    const clientId = sessionStorage.getItem(CLIENT_ID_KEY);
    if (!clientId) throw new Error('The sign-in did not start from auth-start.html');
    const msal = await PublicClientApplication.createPublicClientApplication(msalConfig(clientId, origin));
    const result = await msal.handleRedirectPromise();
    if (!result) throw new Error('Microsoft Entra sent no sign-in response');
    sessionStorage.removeItem(CLIENT_ID_KEY);
    // teamsfx v3 parses the result as JSON and copies `sessionStorage` into the
    // tab's own (its msal cache), so later getToken(scopes) calls find the
    // tokens silently. It refuses a result carrying a `code`.
    authentication.notifySuccess(JSON.stringify({ sessionStorage: { ...sessionStorage } }));
  } catch (error) {
    authentication.notifyFailure(reasonOf(error));
  }
}

if (window.location.pathname.endsWith('/auth-end.html')) void run();
