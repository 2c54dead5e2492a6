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
  return {
    inTeams: true,
    theme: toThemeName(context.app.theme),
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

export function toThemeName(theme: string | undefined): ThemeName {
  return theme === 'dark' ? 'dark' : theme === 'contrast' ? 'contrast' : 'default';
}
