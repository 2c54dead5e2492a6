import { z } from 'zod';
import type { Settings } from '../settings/settings';
import { defineRoute } from './route-definition';

export const clientConfigView = z.object({
  /** The dev sign-in exists (no Entra app configured). */
  localMode: z.boolean(),
  /** For Teams SSO (TeamsUserCredential); null in local mode. */
  entraClientId: z.string().nullable(),
});

/** What the tab needs to know before it signs in. Public: it holds no secret. */
export function clientConfigRoute(settings: Settings) {
  return defineRoute({
    method: 'get',
    path: '/api/v1/client-config',
    operationId: 'clientConfig',
    summary: 'Sign-in settings for the tab',
    tag: 'meta',
    role: 'public',
    response: { status: 200, description: 'The settings', schema: clientConfigView },
    handle: async () => ({
      body: {
        localMode: settings.localMode,
        entraClientId: settings.ENTRA_CLIENT_ID ?? null,
      },
    }),
  });
}
