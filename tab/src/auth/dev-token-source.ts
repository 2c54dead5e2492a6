import { publicApi, type LocalSignIn, type TokenSource } from '../api/portal-api';

const SIGN_IN_KEY = 'portal.devSignIn';

/** Local mode: tokens from the dev sign-in for the partner and user picked on the sign-in screen. */
export class DevTokenSource implements TokenSource {
  private cached: { token: string; until: number } | undefined;

  constructor(
    readonly who: LocalSignIn,
    private readonly baseUrl = '',
  ) {}

  async getToken(): Promise<string> {
    if (this.cached && this.cached.until > Date.now()) return this.cached.token;
    const { token, expiresAt } = await publicApi.devToken(this.who, this.baseUrl);
    this.cached = { token, until: Date.parse(expiresAt) - 60_000 };
    return token;
  }

  forget(): void {
    this.cached = undefined;
  }

  /** Who signed in last in this browser tab, so a reload stays signed in. */
  static remembered(storage: Storage = sessionStorage): LocalSignIn | undefined {
    try {
      const who = JSON.parse(storage.getItem(SIGN_IN_KEY) ?? 'null') as LocalSignIn | null;
      return typeof who?.tenantId === 'string' ? who : undefined;
    } catch {
      return undefined;
    }
  }

  static remember(who: LocalSignIn | undefined, storage: Storage = sessionStorage): void {
    if (who) storage.setItem(SIGN_IN_KEY, JSON.stringify(who));
    else storage.removeItem(SIGN_IN_KEY);
  }
}
