import { BACKEND_SIMULATOR, SettingsError, type Settings } from './settings';

/**
 * What the app refuses to serve with, checked before it touches the database
 * or starts a worker: each problem names its setting. Local mode (the dev
 * sign-in) is a trial on this machine, so it stays on loopback; anything else
 * is a deployment, which must be complete and safe, never open by omission.
 */
export function servingProblems(settings: Settings): string[] {
  const problems: string[] = [];
  const entraSettings = (['ENTRA_CLIENT_ID', 'ENTRA_APP_ID_URI', 'ENTRA_CLIENT_SECRET'] as const).filter((name) => settings[name] !== undefined);
  if (settings.DEV_SIGN_IN === 'true' && entraSettings.length > 0) {
    problems.push(
      `DEV_SIGN_IN=true cannot run beside Microsoft Entra settings (${entraSettings.join(', ')}): the dev sign-in would issue tokens for any partner. Remove DEV_SIGN_IN, or the Entra settings for a local trial.`,
    );
  }
  if (settings.localMode) {
    const host = hostOf(settings);
    if (!isLoopback(host)) {
      problems.push(
        `HOST=${host} would expose the local dev sign-in to the network: keep HOST on loopback (127.0.0.1) for a local trial, or deploy with Microsoft Entra (ENTRA_CLIENT_ID) and DEV_SIGN_IN unset.`,
      );
    }
    // A tunnel or a proxy to loopback is the network too: the public URL says where the app is reached.
    if (settings.PUBLIC_URL !== undefined && !isLoopback(hostnameOf(settings.PUBLIC_URL))) {
      problems.push(
        `PUBLIC_URL=${settings.PUBLIC_URL} would reach the local dev sign-in from outside this machine (a tunnel, a proxy): leave PUBLIC_URL unset or on localhost for a local trial, or deploy with Microsoft Entra (ENTRA_CLIENT_ID) and DEV_SIGN_IN unset.`,
      );
    }
    return problems;
  }
  const required = (name: keyof Settings, what: string) => {
    if (settings[name] === undefined) problems.push(`${name} is required: ${what}.`);
  };
  required('ENTRA_CLIENT_ID', "the Entra app's client id, or nobody can sign in");
  required('BOT_ID', "the bot's Microsoft app id, or /api/messages would accept anyone's activities");
  required('BOT_PASSWORD', "the bot's client secret, to answer the Bot Connector");
  required(
    'BACKEND_URL',
    `the carrier backend's Crossbar URL (or BACKEND_URL=${BACKEND_SIMULATOR} to choose the built-in simulator on purpose)`,
  );
  if (settings.BACKEND_URL !== undefined && settings.BACKEND_URL !== BACKEND_SIMULATOR && !settings.backendApiKeyGiven) {
    problems.push(`BACKEND_API_KEY is required with BACKEND_URL: the carrier's API key for that backend.`);
  }
  if (settings.PUBLIC_URL === undefined) {
    problems.push(`PUBLIC_URL is required: the https URL browsers and Teams use (links and redirect URIs are built from it).`);
  } else if (!isHttps(settings.PUBLIC_URL)) {
    problems.push(`PUBLIC_URL must be an https URL; it is ${settings.PUBLIC_URL}.`);
  }
  for (const name of ['ENTRA_JWKS_URL', 'ENTRA_AUTHORITY_URL', 'GRAPH_URL'] as const) {
    if (!isHttps(settings[name])) problems.push(`${name} must be an https URL; it is ${settings[name]}.`);
  }
  return problems;
}

/** Throws a SettingsError listing every problem, when there is one. */
export function assertSafeToServe(settings: Settings): void {
  const problems = servingProblems(settings);
  if (problems.length === 0) return;
  const mode = settings.localMode
    ? 'local mode (the dev sign-in is on)'
    : settings.DEV_SIGN_IN === 'false'
      ? 'a deployment (the dev sign-in is off: DEV_SIGN_IN=false)'
      : settings.embeddedDatabase
        ? 'a deployment (the dev sign-in is off: Microsoft Entra settings are set)'
        : 'a deployment (the dev sign-in is off: MONGODB_URI is set; DEV_SIGN_IN=true runs a trial on this machine instead)';
  throw new SettingsError(`The app will not start as ${mode}:\n  ${problems.join('\n  ')}`);
}

/** The interface to listen on: loopback in local mode, every interface in a deployment. */
export function hostOf(settings: Settings): string {
  return settings.HOST ?? (settings.localMode ? '127.0.0.1' : '0.0.0.0');
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

function hostnameOf(url: string): string {
  try {
    return new URL(url).hostname.replace(/^\[(.*)\]$/, '$1');
  } catch {
    return url;
  }
}

/** An https URL (a malformed one is not). */
export function isHttps(url: string): boolean {
  try {
    return new URL(url).protocol === 'https:';
  } catch {
    return false;
  }
}
