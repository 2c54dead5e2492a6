import type { Readable } from 'node:stream';
import type { z } from 'zod';
import type { UploadedFile } from './file-upload';
import type { Caller } from '../auth/caller';
import type { MemberRole } from '../members/member-role';

/** Who may call a route: `public` needs no sign-in; a role, a partner's member of that role or above. */
export type RouteAccess = 'public' | MemberRole;

export type HttpMethod = 'get' | 'post' | 'patch' | 'put' | 'del';

interface RouteContext<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType, Access extends RouteAccess> {
  params: z.output<P>;
  query: z.output<Q>;
  body: z.output<B>;
  caller: Access extends 'public' ? undefined : Caller;
  /** Cookies the request carried. */
  cookies: Record<string, string | undefined>;
  /** The URL browsers use (PUBLIC_URL, else locally http://localhost:<port>; never the request's Host), for links and redirect URIs. */
  origin: string;
  /** The uploaded file, on a route that takes one (`upload`). */
  file: UploadedFile;
}

export interface RouteResult {
  status?: number;
  body?: unknown;
  /** Answer with a 302 to this URL instead of a body. */
  redirect?: string;
  /** Set-Cookie values. */
  cookies?: string[];
  /** A Location header with the answer (a 202's job). */
  location?: string;
  /** Answer with a file, streamed as the client reads it, instead of JSON. */
  download?: { contentType: string; fileName: string; stream: Readable };
}

/** A success answer of a route: its status, what it means, and its body's schema. */
export interface RouteResponse {
  status: number;
  description: string;
  schema?: z.ZodType;
}

/**
 * One route: its path, its zod schemas and its handler. The same definition
 * registers the route, validates the request and writes the OpenAPI document.
 */
export interface RouteDefinition<
  P extends z.ZodType = z.ZodType,
  Q extends z.ZodType = z.ZodType,
  B extends z.ZodType = z.ZodType,
  Access extends RouteAccess = RouteAccess,
> {
  method: HttpMethod;
  /** OpenAPI form, e.g. /api/v1/customers/{id}. */
  path: string;
  operationId: string;
  summary: string;
  tag: string;
  /**
   * The least role that may call it, the one place it is stated: the HTTP layer
   * refuses anyone below it (403 naming the role) before reading the input, and
   * the OpenAPI document shows it as x-required-role.
   */
  role: Access;
  params?: P;
  query?: Q;
  body?: B;
  /** The route takes a file (text/csv, or a multipart/form-data upload) instead of a JSON body. */
  upload?: { description: string; maxBytes: number };
  /** The route answers a file of this type (its success answer's description says what is in it). */
  downloads?: string;
  /** Status and schema of the success answer. */
  response: RouteResponse;
  /** Other success answers the route may give (202 with a job when the work is long). */
  alsoResponds?: RouteResponse[];
  /** Error statuses this route may answer, documented in OpenAPI. */
  errors?: number[];
  handle(context: RouteContext<P, Q, B, Access>): Promise<RouteResult>;
}

export function defineRoute<
  P extends z.ZodType = z.ZodUndefined,
  Q extends z.ZodType = z.ZodUndefined,
  B extends z.ZodType = z.ZodUndefined,
  Access extends RouteAccess = RouteAccess,
>(definition: RouteDefinition<P, Q, B, Access>): RouteDefinition {
  return definition as unknown as RouteDefinition;
}
