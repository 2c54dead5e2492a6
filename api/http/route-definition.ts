import type { z } from 'zod';
import type { Caller } from '../auth/caller';

export type HttpMethod = 'get' | 'post' | 'patch' | 'put' | 'del';

interface RouteContext<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType, Auth extends boolean> {
  params: z.output<P>;
  query: z.output<Q>;
  body: z.output<B>;
  caller: Auth extends true ? Caller : undefined;
  /** Cookies the request carried. */
  cookies: Record<string, string | undefined>;
  /** Where the browser reached us (PUBLIC_URL, else the request's Host), for redirect URIs. */
  origin: string;
}

export interface RouteResult {
  status?: number;
  body?: unknown;
  /** Answer with a 302 to this URL instead of a body. */
  redirect?: string;
  /** Set-Cookie values. */
  cookies?: string[];
}

/**
 * One route: its path, its zod schemas and its handler. The same definition
 * registers the route, validates the request and writes the OpenAPI document.
 */
export interface RouteDefinition<
  P extends z.ZodType = z.ZodType,
  Q extends z.ZodType = z.ZodType,
  B extends z.ZodType = z.ZodType,
  Auth extends boolean = boolean,
> {
  method: HttpMethod;
  /** OpenAPI form, e.g. /api/v1/customers/{id}. */
  path: string;
  operationId: string;
  summary: string;
  tag: string;
  /** true: a partner's signed-in user only. */
  auth: Auth;
  params?: P;
  query?: Q;
  body?: B;
  /** Status and schema of the success answer. */
  response: { status: number; description: string; schema?: z.ZodType };
  /** Error statuses this route may answer, documented in OpenAPI. */
  errors?: number[];
  handle(context: RouteContext<P, Q, B, Auth>): Promise<RouteResult>;
}

export function defineRoute<
  P extends z.ZodType = z.ZodUndefined,
  Q extends z.ZodType = z.ZodUndefined,
  B extends z.ZodType = z.ZodUndefined,
  Auth extends boolean = true,
>(definition: RouteDefinition<P, Q, B, Auth>): RouteDefinition {
  return definition as unknown as RouteDefinition;
}
