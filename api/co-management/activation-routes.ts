import { serialize } from 'cookie';
import { z } from 'zod';
import { defineRoute } from '../http/route-definition';
import { AppError } from '../errors';
import type { ActivationSessionDocument } from './activation-documents';
import { ACTIVATION_COOKIE, ACTIVATION_PAGE, type ActivationService } from './activation-service';

const activationView = z.object({
  customer: z.object({ name: z.string(), tenantName: z.string() }).nullable(),
  partner: z.object({ name: z.string() }).nullable(),
  services: z
    .array(z.object({ id: z.string(), name: z.string(), partnerName: z.string(), canManage: z.boolean() }))
    .nullable(),
  abilities: z.array(z.string()),
  signedIn: z.object({ name: z.string().nullable(), upn: z.string().nullable(), isAdmin: z.boolean() }).nullable(),
  consent: z.object({ grantedAt: z.string(), grantedBy: z.string() }).nullable(),
  canManage: z.boolean(),
  changedAt: z.string().nullable(),
  changedBy: z.string().nullable(),
  notice: z.object({ kind: z.enum(['success', 'error']), message: z.string() }).nullable(),
});

/** Microsoft's redirect parameters (sign-in and admin consent); anything else it adds is ignored. */
const microsoftAnswer = z
  .object({
    code: z.string().max(8192).optional(),
    state: z.string().max(200).optional(),
    error: z.string().max(200).optional(),
    error_description: z.string().max(2000).optional(),
    admin_consent: z.string().max(10).optional(),
    tenant: z.string().max(100).optional(),
  })
  .loose();

/**
 * The customer's side, used by the activation page (activate.html): no partner
 * token, a session cookie instead, scoped to the page's API paths.
 */
export function activationRoutes(activation: ActivationService) {
  const cookieOf = (value: string, origin: string) =>
    serialize(ACTIVATION_COOKIE, value, {
      httpOnly: true,
      // Lax: Microsoft's redirects back are top-level GET navigations, which carry it.
      sameSite: 'lax',
      secure: origin.startsWith('https:'),
      path: '/api/v1/activation',
      maxAge: 3600,
    });
  /**
   * The browser navigates through these routes (to and from Microsoft): a
   * problem sends it back to the page, which says what happened (the notice,
   * or that the session ended), never to a page of JSON.
   */
  const navigate = async (cookie: string | undefined, step: (session: ActivationSessionDocument) => Promise<string>) => {
    let session: ActivationSessionDocument;
    try {
      session = await activation.session(cookie);
    } catch (error) {
      if (error instanceof AppError) return { redirect: ACTIVATION_PAGE };
      throw error;
    }
    try {
      return { redirect: await step(session) };
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      return { redirect: await activation.notify(session, 'error', error.message) };
    }
  };
  return [
    defineRoute({
      method: 'post',
      path: '/api/v1/activation/session',
      operationId: 'openActivationSession',
      summary:
        'Open the activation page: starts its session (cookie) and describes the link\'s service; without a link, the admin signs in and picks a service',
      tag: 'activation',
      role: 'public',
      body: z.strictObject({ link: z.string().trim().min(1, 'link must not be empty').max(200).optional() }),
      response: { status: 200, description: 'What the page shows', schema: activationView },
      errors: [404],
      handle: async ({ body, origin }) => {
        const cookie = await activation.openSession(body?.link);
        const session = await activation.session(cookie);
        return { body: await activation.describe(session), cookies: [cookieOf(cookie, origin)] };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/activation/session',
      operationId: 'describeActivation',
      summary: 'What the activation page shows: the service, who is signed in, the consent, the switch',
      tag: 'activation',
      role: 'public',
      response: { status: 200, description: 'What the page shows', schema: activationView },
      errors: [401, 404],
      handle: async ({ cookies }) => ({ body: await activation.describe(await activation.session(cookies[ACTIVATION_COOKIE])) }),
    }),
    defineRoute({
      method: 'put',
      path: '/api/v1/activation/service',
      operationId: 'chooseActivationService',
      summary: "Without a link: pick one of the signed-in admin's services",
      tag: 'activation',
      role: 'public',
      body: z.strictObject({ id: z.string().trim().min(1, 'id is required').max(100) }),
      response: { status: 200, description: 'What the page shows now', schema: activationView },
      errors: [400, 401, 404],
      handle: async ({ cookies, body }) => ({
        body: await activation.chooseService(await activation.session(cookies[ACTIVATION_COOKIE]), body.id),
      }),
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/activation/sign-in',
      operationId: 'startActivationSignIn',
      summary: "Redirects to Microsoft's sign-in",
      tag: 'activation',
      role: 'public',
      response: { status: 302, description: "To Microsoft's sign-in (back to the page with a notice on a problem)" },
      handle: ({ cookies, origin }) => navigate(cookies[ACTIVATION_COOKIE], (session) => activation.startSignIn(session, origin)),
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/activation/signed-in',
      operationId: 'finishActivationSignIn',
      summary: 'Microsoft sends the browser back here after sign-in (redirect URI)',
      tag: 'activation',
      role: 'public',
      query: microsoftAnswer,
      response: { status: 302, description: 'Back to the activation page' },
      handle: ({ cookies, query, origin }) =>
        navigate(cookies[ACTIVATION_COOKIE], (session) => activation.finishSignIn(session, answerOf(query), origin)),
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/activation/consent',
      operationId: 'startAdminConsent',
      summary: "Redirects to Microsoft's admin-consent page for the customer's tenant",
      tag: 'activation',
      role: 'public',
      response: { status: 302, description: "To Microsoft's admin consent (back to the page with a notice on a problem)" },
      handle: ({ cookies, origin }) => navigate(cookies[ACTIVATION_COOKIE], (session) => activation.startConsent(session, origin)),
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/activation/consented',
      operationId: 'finishAdminConsent',
      summary: 'Microsoft sends the browser back here after admin consent (redirect URI)',
      tag: 'activation',
      role: 'public',
      query: microsoftAnswer,
      response: { status: 302, description: 'Back to the activation page' },
      handle: ({ cookies, query }) =>
        navigate(cookies[ACTIVATION_COOKIE], (session) => activation.finishConsent(session, answerOf(query))),
    }),
    defineRoute({
      method: 'put',
      path: '/api/v1/activation/co-management',
      operationId: 'setCoManagement',
      summary: '"Allow carrier to co-manage your service": on or off',
      tag: 'activation',
      role: 'public',
      body: z.strictObject({ allowed: z.boolean({ error: 'allowed must be true or false' }) }),
      response: { status: 200, description: 'What the page shows now', schema: activationView },
      errors: [400, 401, 403, 404, 409, 502, 503],
      handle: async ({ cookies, body }) => ({
        body: await activation.setAllowed(await activation.session(cookies[ACTIVATION_COOKIE]), body.allowed),
      }),
    }),
  ];
}

function answerOf(query: z.infer<typeof microsoftAnswer>) {
  return {
    ...(query.code ? { code: query.code } : {}),
    ...(query.state ? { state: query.state } : {}),
    ...(query.error ? { error: query.error } : {}),
    ...(query.error_description ? { errorDescription: query.error_description } : {}),
    ...(query.admin_consent ? { adminConsent: query.admin_consent } : {}),
    ...(query.tenant ? { tenant: query.tenant } : {}),
  };
}
