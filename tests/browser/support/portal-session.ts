import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { launchChromium } from './chromium';
import { startPortal, type PortalProcess } from './portal-process';

/** What a browser test works with once its beforeAll has run. */
export interface PortalSession {
  portal: PortalProcess;
  browser: Browser;
  page: Page;
}

/**
 * The app as `npm start` runs it and a Chromium page on it, for one describe:
 * started in beforeAll, closed in afterAll. The page waits 20 s at most for
 * anything (a loaded 2-core machine is slow, never that slow).
 */
export function portalSession(context: BrowserContextOptions = {}, env: Record<string, string> = {}): PortalSession {
  const session = {} as PortalSession;
  beforeAll(async () => {
    session.portal = await startPortal(env);
    session.browser = await launchChromium();
    const browserContext = await session.browser.newContext({ viewport: { width: 1280, height: 900 }, ...context });
    browserContext.setDefaultTimeout(20_000);
    session.page = await browserContext.newPage();
  }, 90_000);
  afterAll(async () => {
    await session.browser?.close();
    await session.portal?.stop();
  });
  return session;
}
