import { z } from 'zod';
import { ROLE_NAMES, type MemberRole } from '../members/member-role';
import { defineRoute, type RouteDefinition } from './route-definition';

type JsonSchema = Record<string, unknown>;

const errorSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z
      .union([
        z.array(z.object({ field: z.string(), message: z.string() })),
        z.object({ requiredRole: z.enum(['viewer', 'operator', 'admin']), role: z.enum(['viewer', 'operator', 'admin']) }),
        z.record(z.string(), z.unknown()),
      ])
      .optional(),
  }),
});

const ERROR_TEXT: Record<number, string> = {
  400: 'Invalid input: details name each field and its problem',
  401: 'Missing, expired or invalid sign-in token',
  403: 'Below the role this needs (code role_required, details name the role needed and yours), not a member (not_a_member), or the tenant is not a registered partner',
  404: 'No such resource for this partner',
  409: 'Conflicts with existing data',
  413: 'Body too large',
  415: 'Body is not JSON (or, for a file upload, neither text/csv nor multipart/form-data)',
  429: 'Busy: send the request again after the seconds of its Retry-After header (a CSV upload: the instance reads CSV_PARSE_CONCURRENCY files at once)',
  502: "The carrier's backend answered in a way the portal could not use; nothing was changed",
  503: "The carrier's backend (or Microsoft) could not be reached; nothing was changed, try again in a moment",
};

function toJsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const json = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as JsonSchema;
  delete json.$schema;
  return json;
}

function parametersOf(schema: z.ZodType | undefined, where: 'path' | 'query') {
  if (!schema) return [];
  const json = toJsonSchema(schema, 'input');
  const properties = (json.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((json.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => ({
    name,
    in: where,
    required: where === 'path' || required.has(name),
    schema: property,
  }));
}

/** The OpenAPI 3.1 document, generated from the same route table and zod schemas that serve requests. */
export function buildOpenApiDocument(routes: RouteDefinition[], info: { title: string; version: string }) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const responses: Record<string, unknown> = {};
    for (const response of [route.response, ...(route.alsoResponds ?? [])]) {
      const download = route.downloads && response === route.response;
      responses[response.status] = {
        description: response.description,
        ...(download
          ? { content: { [route.downloads!]: { schema: { type: 'string' } } } }
          : response.schema
            ? { content: { 'application/json': { schema: toJsonSchema(response.schema, 'output') } } }
            : {}),
      };
    }
    const signedIn = route.role !== 'public';
    const errorStatuses = new Set([...(route.errors ?? []), ...(signedIn ? [401, 403] : [])]);
    if (route.body || route.query || route.params) errorStatuses.add(400);
    if (route.body) [413, 415].forEach((s) => errorStatuses.add(s));
    if (route.upload) [400, 415, 429].forEach((s) => errorStatuses.add(s));
    for (const status of [...errorStatuses].sort()) {
      responses[status] = {
        description: ERROR_TEXT[status] ?? 'Error',
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
      };
    }
    const operation = {
      operationId: route.operationId,
      summary: route.summary,
      description: signedIn
        ? `Needs the ${ROLE_NAMES[route.role as MemberRole]} role or above.`
        : 'Needs no sign-in.',
      tags: [route.tag],
      'x-required-role': route.role,
      ...(signedIn ? { security: [{ bearer: [] }] } : {}),
      parameters: [...parametersOf(route.params, 'path'), ...parametersOf(route.query, 'query')],
      ...(route.body
        ? {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: toJsonSchema(route.body, 'input') } },
            },
          }
        : route.upload
          ? {
              requestBody: {
                required: true,
                description: route.upload.description,
                content: {
                  'text/csv': { schema: { type: 'string' } },
                  'multipart/form-data': {
                    schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } }, required: ['file'] },
                  },
                },
              },
            }
          : {}),
      responses,
    };
    paths[route.path] = { ...paths[route.path], [route.method === 'del' ? 'delete' : route.method]: operation };
  }
  return {
    openapi: '3.1.0',
    info,
    paths,
    components: {
      schemas: { Error: toJsonSchema(errorSchema, 'output') },
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'Microsoft Entra token for the app (Teams SSO), or a dev sign-in token in local mode',
        },
      },
    },
  };
}

/** GET /api/v1/openapi.json: the document of `routes`, this route included, built once. */
export function openApiRoute(routes: RouteDefinition[]): RouteDefinition {
  let document: ReturnType<typeof buildOpenApiDocument> | undefined;
  return defineRoute({
    method: 'get',
    path: '/api/v1/openapi.json',
    operationId: 'openApi',
    summary: 'This document',
    tag: 'meta',
    role: 'public',
    response: { status: 200, description: 'OpenAPI 3.1', schema: z.record(z.string(), z.unknown()) },
    handle: async () => {
      document ??= buildOpenApiDocument(routes, { title: 'Teams Partner Portal API', version: '1' });
      return { body: document };
    },
  });
}
