import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { parse as parseCookies } from 'cookie';
import { pipeline } from 'node:stream/promises';
import restify, { type Request, type Response, type Server } from 'restify';
import type { PartnerAuthenticator } from '../auth/partner-authenticator';
import { AppError, TooManyRequestsError } from '../errors';
import { requireRole, type MemberRole } from '../members/member-role';
import type { Logger } from '../logging/logger';
import type { RouteDefinition, RouteResult } from './route-definition';
import { withUpload, type UploadedFile } from './file-upload';
import type { CsvReadSlots } from '../csv/csv-read-slots';
import { validateInput } from './request-validation';
import { applyConnectionLimits } from './connection-limits';
import { errorBody } from './error-body';
import { jsonBodyReader } from './json-body-reader';
import type { PublicUrl } from './public-url';
import { securityHeaders } from './security-headers';

export { errorBody };

export interface ApiServerOptions {
  /** The built tab, served at / (index.html) and /assets/. */
  tabDirectory?: string | undefined;
  routes: RouteDefinition[];
  authenticate: PartnerAuthenticator;
  logger: Logger;
  maxBodyBytes: number;
  /** REQUEST_TIMEOUT_MS: the time a client has to send a whole request. */
  requestTimeoutMs: number;
  /** The origin browsers use (public-url.ts), for links, redirect URIs and cookies; never the request's Host. */
  publicUrl: PublicUrl;
  /** The CSV files this instance reads at once (upload routes); none: no cap. */
  csvReadSlots?: CsvReadSlots;
}

const RESTIFY_METHOD = { get: 'get', post: 'post', patch: 'patch', put: 'put', del: 'del' } as const;

/** The restify server: JSON in and out, one log line per request, errors as `{error}`. */
export function createApiServer(options: ApiServerOptions): Server {
  const log = options.logger.child({ component: 'http' });
  const server = restify.createServer({ name: 'partner-portal', handleUncaughtExceptions: false });
  applyConnectionLimits(server.server, options.requestTimeoutMs);

  server.pre(securityHeaders(options.publicUrl));
  server.pre((req, res, next) => {
    const incoming = req.header('x-request-id');
    const requestId = incoming && /^[\w.-]{1,100}$/.test(incoming) ? incoming : randomUUID();
    (req as RequestWithState).requestId = requestId;
    (req as RequestWithState).startedAt = process.hrtime.bigint();
    res.setHeader('x-request-id', requestId);
    // Compressed bodies are refused: they would escape the size cap (and a bad
    // one crashes restify's reader).
    const encoding = req.header('content-encoding');
    if (encoding && encoding.trim().toLowerCase() !== 'identity') {
      res.send(415, errorBody('unsupported_media_type', 'Send the body uncompressed (no Content-Encoding)'));
      return next(false);
    }
    next();
  });
  server.use(restify.plugins.queryParser({ mapParams: false }));
  // An upload route reads its file itself, with its own (larger) limit.
  const uploadPaths = new Set(options.routes.filter((r) => r.upload).map((r) => `${r.method}:${restifyPath(r.path)}`));
  const isUpload = (req: Request) => {
    const route = req.getRoute();
    return route !== undefined && uploadPaths.has(`${String(route.method).toLowerCase().replace('delete', 'del')}:${route.path}`);
  };
  // Our reader, not restify's (which reads a body whole before comparing its size); restify parses the JSON.
  const bodyHandlers = [
    jsonBodyReader(options.maxBodyBytes),
    ...[restify.plugins.jsonBodyParser({ mapParams: false, bodyReader: true })].flat(),
  ];
  for (const handler of bodyHandlers) {
    server.use((req: Request, res: Response, next: restify.Next) => (isUpload(req) ? next() : handler(req, res, next)));
  }

  for (const route of options.routes) {
    server[RESTIFY_METHOD[route.method]](restifyPath(route.path), (req: Request, res: Response, next: restify.Next) => {
      runRoute(route, req as RequestWithState, options.authenticate, options.publicUrl, options.csvReadSlots)
        .then(({ status, body, redirect, cookies, location, download }) => {
          if (cookies?.length) res.header('set-cookie', cookies);
          if (location !== undefined) res.header('location', location);
          if (download) {
            sendDownload(res, download, log, req as RequestWithState).then(() => next(), () => next());
            return;
          }
          if (redirect !== undefined) {
            res.header('location', redirect);
            res.header('cache-control', 'no-store');
            res.send(302);
          } else {
            res.send(status ?? route.response.status, body);
          }
          next();
        })
        .catch((error: unknown) => {
          sendError(req as RequestWithState, res, error, log);
          next();
        });
    });
  }

  if (options.tabDirectory) {
    // Only the tab's own files: /api/... paths stay the API's (and its JSON 404).
    // serveStaticFiles serves the route's `*` parameter from its folder (index.html without one).
    const staticFiles = (folder: string) =>
      restify.plugins.serveStaticFiles(folder, {
        maxAge: 365 * 24 * 3600 * 1000,
        // Asset names carry a content hash; the pages themselves must always be fresh.
        setHeaders: (res: { setHeader(name: string, value: string): void }, file: string) => {
          if (file.endsWith('.html')) res.setHeader('cache-control', 'no-cache');
        },
      } as never);
    const pages = staticFiles(options.tabDirectory);
    server.get('/', pages);
    server.get('/assets/*', staticFiles(path.join(options.tabDirectory, 'assets')));
    for (const page of fs.readdirSync(options.tabDirectory).filter((file) => file.endsWith('.html'))) {
      server.get(`/${page}`, (req: Request, res: Response, next: restify.Next) => {
        req.params = { ...req.params, '*': page };
        return pages(req, res, next);
      });
    }
  }

  // restify's own refusals (no such route, body too large, bad JSON) in our shape.
  server.on('restifyError', (req: Request, res: Response, error: RestifyHttpError, callback: () => void) => {
    const status = error.statusCode ?? 500;
    const body = errorBody(restifyCode(error), status >= 500 ? 'Something went wrong on our side' : error.message);
    error.toJSON = () => body;
    error.toString = () => JSON.stringify(body);
    callback();
  });

  server.on('after', (req: Request, res: Response) => {
    const state = req as RequestWithState;
    const ms = state.startedAt ? Number(process.hrtime.bigint() - state.startedAt) / 1e6 : undefined;
    log.info(
      {
        requestId: state.requestId,
        method: req.method,
        path: req.getPath(),
        status: res.statusCode,
        ms: ms === undefined ? undefined : Math.round(ms * 10) / 10,
        partnerTenantId: state.callerTenantId,
        role: state.callerRole,
      },
      'request',
    );
  });

  return server;
}

interface RequestWithState extends Request {
  requestId?: string;
  startedAt?: bigint;
  callerTenantId?: string;
  callerRole?: string;
}

interface RestifyHttpError extends Error {
  statusCode?: number;
  body?: { code?: string };
  toJSON?: () => unknown;
}

async function runRoute(
  route: RouteDefinition,
  req: RequestWithState,
  authenticate: PartnerAuthenticator,
  publicUrl: PublicUrl,
  csvReadSlots: CsvReadSlots | undefined,
) {
  const caller = route.role === 'public' ? undefined : await authenticate(req.header('authorization'));
  if (caller) {
    req.callerTenantId = caller.tenantId;
    req.callerRole = caller.role;
    requireRole(caller, route.role as MemberRole);
  }
  const params = route.params ? validateInput(route.params, req.params ?? {}, 'path') : undefined;
  const query = route.query ? validateInput(route.query, req.query ?? {}, 'query') : undefined;
  let body: unknown;
  if (route.body) {
    if (!req.is('json') && req.contentLength() > 0) {
      throw new AppError(415, 'unsupported_media_type', 'Send the body as JSON (Content-Type: application/json)');
    }
    body = validateInput(route.body, req.body, 'body');
  }
  const cookies = parseCookies(req.header('cookie') ?? '');
  const origin = publicUrl();
  const handle = (file?: UploadedFile) => route.handle({ params, query, body, caller, cookies, origin, file } as never);
  // An upload's file is read by the handler as it arrives, in one of the instance's CSV read slots.
  return route.upload ? withUpload(req, route.upload.maxBytes, csvReadSlots, handle) : handle();
}

/** A route's path in restify's form (/customers/:id). */
function restifyPath(path: string): string {
  return path.replace(/\{(\w+)\}/g, ':$1');
}

/**
 * Streams a file to the client as it reads (backpressure through pipeline):
 * memory stays at what is in flight. A failure once bytes have gone cannot
 * become an error answer any more, so the connection is cut (the client sees a
 * broken download, never a short file that looks whole).
 */
async function sendDownload(
  res: Response,
  download: NonNullable<RouteResult['download']>,
  log: Logger,
  req: RequestWithState,
): Promise<void> {
  res.writeHead(200, {
    'content-type': download.contentType,
    'content-disposition': `attachment; filename="${download.fileName.replace(/[^\w.-]/g, '_')}"`,
    'cache-control': 'no-store',
  });
  try {
    await pipeline(download.stream, res);
  } catch (error) {
    log.error({ requestId: req.requestId, err: error }, 'download failed mid-way');
    res.destroy();
  }
}

function sendError(req: RequestWithState, res: Response, error: unknown, log: Logger): void {
  if (error instanceof TooManyRequestsError) res.header('retry-after', String(error.retryAfterSeconds));
  if (error instanceof AppError) {
    res.send(error.status, errorBody(error.code, error.message, error.details));
    return;
  }
  log.error({ requestId: req.requestId, err: error }, 'unhandled error');
  res.send(500, errorBody('internal_error', `Something went wrong on our side (request ${req.requestId})`));
}

function restifyCode(error: RestifyHttpError): string {
  const code = error.body?.code ?? error.name.replace(/Error$/, '');
  return code.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
}
