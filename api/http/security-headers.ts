import type { Next, Request, Response } from 'restify';
import { isHttps } from '../settings/serving-rules';
import type { PublicUrl } from './public-url';

/**
 * The hosts that frame Teams and Microsoft 365 tabs, from Microsoft's "Tab
 * requirements" (learn.microsoft.com/microsoftteams/platform/tabs/how-to/tab-requirements):
 * all Microsoft 365 hosts on *.cloud.microsoft, Teams, the Microsoft 365 app
 * and Outlook. Only these may put the tab in a frame (clickjacking).
 */
export const TEAMS_FRAME_ANCESTORS = [
  'https://*.cloud.microsoft',
  'https://teams.microsoft.com',
  'https://*.teams.microsoft.com',
  'https://*.microsoft365.com',
  'https://*.office.com',
  'https://outlook.office.com',
  'https://outlook.office365.com',
  'https://outlook-sdf.office.com',
  'https://outlook-sdf.office365.com',
] as const;

/** Microsoft Entra sign-in: MSAL redeems codes and refreshes tokens there (fetch, or a hidden frame). */
const ENTRA_SIGN_IN = 'https://login.microsoftonline.com';
/** teams-js reads the current list of Teams host origins from Microsoft's CDN (it has a built-in fallback). */
const TEAMS_JS_VALID_DOMAINS = 'https://res.cdn.office.net';

/**
 * What a page of ours may load. Scripts only from our own files (Vite's build
 * has no inline script); styles also inline, because Fluent UI's Griffel
 * inserts <style> elements at run time and the pages carry a small <style>.
 */
const PAGE_BASE = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:', 'blob:'],
  'font-src': ["'self'", 'data:'],
  'object-src': ["'none'"],
  'base-uri': ["'self'"],
  'form-action': ["'self'"],
};

type Directives = Record<string, readonly string[]>;

/** The kinds of answers, each with its own policy. */
export type AnswerKind = 'tab' | 'page' | 'api';

export const CONTENT_SECURITY_POLICY: Record<AnswerKind, Directives> = {
  // The tab and Teams' consent pop-up pages: framed by Teams and Microsoft 365 only.
  tab: {
    ...PAGE_BASE,
    'connect-src': ["'self'", ENTRA_SIGN_IN, TEAMS_JS_VALID_DOMAINS],
    'frame-src': [ENTRA_SIGN_IN],
    'frame-ancestors': TEAMS_FRAME_ANCESTORS,
  },
  // The activation page (a customer's admin, in a browser) and the static pages: never framed.
  // Microsoft sign-in is a navigation through our API's redirect, which CSP does not govern.
  page: { ...PAGE_BASE, 'connect-src': ["'self'"], 'frame-src': ["'none'"], 'frame-ancestors': ["'none'"] },
  // JSON, files, redirects: nothing to run, nothing to frame.
  api: { 'default-src': ["'none'"], 'frame-ancestors': ["'none'"] },
};

/** The tab's pages (tab/*.html but the activation page): what Teams opens, in its frame or its pop-up. */
export const TAB_PAGES = ['/', '/index.html', '/auth-start.html', '/auth-end.html'] as const;

export function answerKindOf(path: string): AnswerKind {
  if ((TAB_PAGES as readonly string[]).includes(path)) return 'tab';
  return path.endsWith('.html') ? 'page' : 'api';
}

/** 180 days; no includeSubDomains: the operator's other hosts are not ours to decide. */
const HSTS = 'max-age=15552000';

/**
 * The headers of an answer of that kind. Referrer: pages tell other sites
 * nothing (same-origin); API answers, whose redirects carry Microsoft's codes
 * and states in their URLs, tell nobody anything.
 */
export function securityHeadersFor(kind: AnswerKind, https: boolean): Record<string, string> {
  const headers: Record<string, string> = {
    'content-security-policy': serialize(CONTENT_SECURITY_POLICY[kind]),
    'x-content-type-options': 'nosniff',
    'referrer-policy': kind === 'api' ? 'no-referrer' : 'same-origin',
  };
  // For browsers without frame-ancestors; the tab has none, since Teams must frame it.
  if (kind !== 'tab') headers['x-frame-options'] = 'DENY';
  // Browsers honour HSTS only over https: sent when the public URL is https (TLS may end before us).
  if (https) headers['strict-transport-security'] = HSTS;
  return headers;
}

/**
 * Sets the security headers on every answer, before routing, so restify's own
 * refusals (404, 413, bad JSON) carry them too. The public URL is read per
 * request: in local mode it is known only once the server listens.
 */
export function securityHeaders(publicUrl: PublicUrl) {
  return (req: Request, res: Response, next: Next): void => {
    const headers = securityHeadersFor(answerKindOf(req.getPath()), isHttps(publicUrl()));
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    next();
  };
}

function serialize(directives: Directives): string {
  return Object.entries(directives)
    .map(([name, sources]) => `${name} ${sources.join(' ')}`)
    .join('; ');
}
