import type { TokenSource } from '../api/portal-api';

/** Teams asked for consent: the user must press a button to sign in (pop-up). */
export class ConsentRequiredError extends Error {
  constructor() {
    super('Sign in to let the portal act for you in Microsoft Teams');
    this.name = 'ConsentRequiredError';
  }
}

/**
 * teamsfx says UiRequiredError for scoped tokens; for the SSO token itself a
 * missing consent comes back from Teams as an InternalError naming it.
 */
function needsConsent(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: string; message?: string };
  return code === 'UiRequiredError' || /resourceRequiresConsent|consent_required|interaction_required/i.test(message ?? '');
}

type Credential = {
  getToken(scopes: string | string[]): Promise<{ token: string } | null>;
  login(scopes: string | string[]): Promise<void>;
};

/**
 * Inside Teams: the SSO token from @microsoft/teamsfx TeamsUserCredential. The
 * library (and its consent pop-up code) is loaded only in Teams, so the first
 * view in a browser stays small.
 */
export class TeamsTokenSource implements TokenSource {
  private credential: Promise<Credential> | undefined;

  constructor(
    private readonly clientId: string,
    private readonly initiateLoginEndpoint: string,
  ) {}

  async getToken(): Promise<string> {
    const credential = await this.load();
    try {
      const token = await credential.getToken('');
      if (!token) throw new ConsentRequiredError();
      return token.token;
    } catch (error) {
      if (error instanceof ConsentRequiredError || needsConsent(error)) throw new ConsentRequiredError();
      throw error;
    }
  }

  /** The consent sign-in, started by a user's click. */
  async login(): Promise<void> {
    await (await this.load()).login(['User.Read']);
  }

  private load(): Promise<Credential> {
    this.credential ??= import('@microsoft/teamsfx').then(
      ({ TeamsUserCredential }) =>
        new TeamsUserCredential({
          clientId: this.clientId,
          initiateLoginEndpoint: this.initiateLoginEndpoint,
        }) as unknown as Credential,
    );
    return this.credential;
  }
}
