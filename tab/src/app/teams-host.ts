/**
 * The boundary to Microsoft Teams (teams-js): whether the tab runs inside
 * Teams, and the theme Teams reports. Outside Teams (a plain browser on the
 * local default) teams-js is never loaded.
 */
export type ThemeName = 'default' | 'dark' | 'contrast';

export interface Host {
  inTeams: boolean;
  theme: ThemeName;
  onThemeChange(listener: (theme: ThemeName) => void): void;
  /** The customer whose Details to open first: a deep link (an alert's "Open in the portal") named it. */
  openCustomerId?: string;
}

/** The manifest's contentUrl carries ?inTeams=1; a plain browser does not. */
export function runsInTeams(location: Pick<Location, 'search'>): boolean {
  return new URLSearchParams(location.search).has('inTeams');
}

export async function connectHost(location: Pick<Location, 'search'> = window.location): Promise<Host> {
  if (!runsInTeams(location)) return browserHost();
  const { app } = await import('@microsoft/teams-js');
  await app.initialize();
  const context = await app.getContext();
  app.notifySuccess();
  const openCustomerId = customerOfSubPage(context.page?.subPageId);
  return {
    inTeams: true,
    theme: toThemeName(context.app.theme),
    ...(openCustomerId ? { openCustomerId } : {}),
    onThemeChange: (listener) => app.registerOnThemeChangeHandler((theme) => listener(toThemeName(theme))),
  };
}

function browserHost(): Host {
  const dark = typeof window.matchMedia === 'function' ? window.matchMedia('(prefers-color-scheme: dark)') : undefined;
  return {
    inTeams: false,
    theme: dark?.matches ? 'dark' : 'default',
    onThemeChange: (listener) => dark?.addEventListener?.('change', (event) => listener(event.matches ? 'dark' : 'default')),
  };
}

/** The customer a deep link's subEntityId names ("customer:<id>", as the bot's alert cards write it). */
export function customerOfSubPage(subPageId: string | undefined): string | undefined {
  const match = /^customer:([0-9a-f]{24})$/i.exec(subPageId ?? '');
  return match?.[1];
}

export function toThemeName(theme: string | undefined): ThemeName {
  return theme === 'dark' ? 'dark' : theme === 'contrast' ? 'contrast' : 'default';
}
