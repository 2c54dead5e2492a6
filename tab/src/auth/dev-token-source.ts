import { publicApi, type TokenSource } from '../api/portal-api';

const PARTNER_KEY = 'portal.devPartner';

/** Local mode: tokens from the dev sign-in for the partner picked on the sign-in screen. */
export class DevTokenSource implements TokenSource {
  private cached: { token: string; until: number } | undefined;

  constructor(
    readonly tenantId: string,
    private readonly baseUrl = '',
  ) {}

  async getToken(): Promise<string> {
    if (this.cached && this.cached.until > Date.now()) return this.cached.token;
    const { token, expiresAt } = await publicApi.devToken(this.tenantId, 'Local partner user', this.baseUrl);
    this.cached = { token, until: Date.parse(expiresAt) - 60_000 };
    return token;
  }

  forget(): void {
    this.cached = undefined;
  }

  static remembered(storage: Storage = sessionStorage): string | undefined {
    return storage.getItem(PARTNER_KEY) ?? undefined;
  }

  static remember(tenantId: string | undefined, storage: Storage = sessionStorage): void {
    if (tenantId) storage.setItem(PARTNER_KEY, tenantId);
    else storage.removeItem(PARTNER_KEY);
  }
}
