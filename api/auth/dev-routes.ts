import { defineRoute } from '../http/route-definition';
import { devTokenRequest, devTokenView, type DevSignIn } from './dev-sign-in';

/** Local mode only: the routes are not registered when Entra is configured, so they answer 404. */
export function devSignInRoutes(devSignIn: DevSignIn) {
  return [
    defineRoute({
      method: 'post',
      path: '/api/v1/dev/token',
      operationId: 'devToken',
      summary: 'Local mode only: a signed token for the given tenant and user',
      tag: 'dev',
      auth: false,
      body: devTokenRequest,
      response: { status: 200, description: 'The token', schema: devTokenView },
      handle: async ({ body }) => ({ body: await devSignIn.issue(body) }),
    }),
  ];
}
