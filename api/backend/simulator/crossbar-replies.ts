import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { BackendCallflow } from '../backend-types';
import type { SimulatedAccount } from './simulated-account';

/**
 * Crossbar's rules and envelopes as the simulator answers them: callflows'
 * numbers.unique, validation errors, pagination, the response envelope.
 */

/** What a simulated Crossbar route answers: its status, its data, and more fields of the envelope. */
export interface Reply {
  status: number;
  data?: unknown;
  extra?: Record<string, unknown>;
}

/** Stores (or deletes) a callflow and keeps the number index in step. */
export function setCallflow(account: SimulatedAccount, callflow: BackendCallflow, remove = false): void {
  const previous = account.callflows.get(callflow.id);
  previous?.numbers.forEach((n) => account.callflowOfNumber.delete(n));
  if (remove) {
    account.callflows.delete(callflow.id);
    return;
  }
  account.callflows.set(callflow.id, callflow);
  callflow.numbers.forEach((n) => account.callflowOfNumber.set(n, callflow.id));
}

export function validateCallflow(account: SimulatedAccount, body: unknown, ownId?: string): Reply | undefined {
  const data = (body as { data?: Partial<BackendCallflow> } | undefined)?.data;
  if (!data || !Array.isArray(data.numbers) || data.numbers.some((n) => typeof n !== 'string')) {
    return invalid('numbers', 'required', 'numbers must be a list of numbers');
  }
  if (typeof data.flow?.module !== 'string') return invalid('flow', 'required', 'flow.module is required');
  for (const e164 of data.numbers) {
    const holder = account.callflowOfNumber.get(e164);
    if (holder !== undefined && holder !== ownId) return invalid('numbers', 'unique', `Number ${e164} exists in callflow ${holder}`);
  }
  return undefined;
}

export function invalid(field: string, validator: string, message: string): Reply {
  return { status: 400, data: { [field]: { [validator]: { message } } }, extra: { message: 'invalid data' } };
}

export function paginate(keys: string[], query: URLSearchParams) {
  const pageSize = Math.min(Math.max(Number(query.get('page_size') ?? 50) || 50, 1), 1000);
  const startKey = query.get('start_key');
  let start = 0;
  if (startKey !== null) {
    start = keys.findIndex((k) => k >= startKey);
    if (start < 0) start = keys.length;
  }
  const items = keys.slice(start, start + pageSize);
  const next = keys[start + pageSize];
  return { items, extra: { page_size: items.length, ...(next === undefined ? {} : { next_start_key: next }) } };
}

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString()));
    req.on('error', reject);
  });
}

const STATUS_TEXT: Record<number, string> = { 400: 'bad_request', 401: 'unauthorized', 404: 'not_found', 409: 'conflict', 429: 'too_many_requests', 500: 'internal_server_error', 503: 'service_unavailable' };

export function send(res: ServerResponse, reply: Reply, headers: Record<string, string> = {}): void {
  const ok = reply.status < 400;
  const envelope = {
    data: reply.data ?? {},
    status: ok ? 'success' : 'error',
    ...(ok ? {} : { error: String(reply.status) }),
    request_id: randomUUID(),
    ...(ok || reply.extra?.message ? {} : { message: STATUS_TEXT[reply.status] ?? 'error' }),
    ...reply.extra,
  };
  const text = JSON.stringify(envelope);
  res.writeHead(reply.status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}
