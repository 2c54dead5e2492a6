import type { BrowserContext, Page } from 'playwright-core';

/**
 * What the browser refused because of the Content-Security-Policy (Chromium
 * enforces it and says so on the console), on every page of the contexts or
 * pages given: a policy that breaks the app shows here first.
 */
export function watchCspViolations(...targets: (BrowserContext | Page)[]): string[] {
  const violations: string[] = [];
  for (const target of targets) {
    target.on('console', (message) => {
      if (/Content Security Policy|Content-Security-Policy/i.test(message.text())) violations.push(message.text());
    });
  }
  return violations;
}
