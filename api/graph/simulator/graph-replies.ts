import type { IncomingMessage } from 'node:http';

/** What a simulated Microsoft endpoint answers: JSON, a page, a redirect. */
export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  html?: string;
}

export function graphError(status: number, code: string, message: string): Reply {
  return { status, body: { error: { code, message } } };
}

export function redirect(target: string, params: Record<string, string>): Reply {
  const url = new URL(target);
  for (const [key, value] of Object.entries(params)) if (value !== '') url.searchParams.set(key, value);
  return { status: 302, headers: { location: url.toString() }, html: '' };
}

export function parseJson(text: string): Record<string, unknown> {
  try {
    const value = JSON.parse(text) as unknown;
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

export function isDefined<T>(value: T | undefined): value is T {
  return value !== undefined;
}

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
