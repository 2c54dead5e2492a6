import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request the bot made to the Bot Connector service. */
export interface ConnectorCall {
  method: string;
  /** e.g. /v3/conversations/{conversationId}/activities/{activityId} */
  path: string;
  conversationId: string;
  activityId?: string;
  body: Record<string, unknown>;
}

/**
 * A local stand-in for the Bot Connector service (a real HTTP server on
 * loopback): the bot's proactive sends and updates go to it through the real
 * CloudAdapter when an activity's serviceUrl names it. It records every call,
 * and answers 403 or 404 for the conversations it is told the bot was removed
 * from, as Teams does.
 */
export class ConnectorStandIn {
  readonly calls: ConnectorCall[] = [];
  private readonly refusals = new Map<string, 403 | 404>();
  private server: Server | undefined;
  private nextId = 1;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((request, response) => {
      void readBody(request).then((body) => {
        const path = (request.url ?? '').split('?')[0]!;
        const match = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/.exec(path);
        if (!match) {
          respond(response, 404, { 'content-type': 'application/json' }, JSON.stringify({ error: { code: 'NotFound', message: path } }));
          return;
        }
        const conversationId = decodeURIComponent(match[1]!);
        const activityId = match[2] ? decodeURIComponent(match[2]) : undefined;
        this.calls.push({ method: request.method ?? '', path, conversationId, ...(activityId ? { activityId } : {}), body });
        const refusal = this.refusals.get(conversationId);
        if (refusal) {
          const code = refusal === 403 ? 'BotNotInConversationRoster' : 'ConversationNotFound';
          respond(response, refusal, { 'content-type': 'application/json' }, JSON.stringify({ error: { code, message: 'The bot is not part of the conversation roster.' } }));
          return;
        }
        // A reply (POST to an activity) is a new message with an id of its own; an update keeps its id.
        const id = request.method === 'PUT' && activityId ? activityId : `sent-${this.nextId++}`;
        respond(response, 200, { 'content-type': 'application/json' }, JSON.stringify({ id }));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
    return this;
  }

  /** From now on the conversation answers `status`, as one the bot was removed from. */
  refuse(conversationId: string, status: 403 | 404 = 403): void {
    this.refusals.set(conversationId, status);
  }

  /** The calls that replaced `activityId` (PUT), oldest first. */
  updatesOf(activityId: string): ConnectorCall[] {
    return this.calls.filter((call) => call.method === 'PUT' && call.activityId === activityId);
  }

  /** The messages sent into `conversationId` (POST), oldest first. */
  sentTo(conversationId: string): ConnectorCall[] {
    return this.calls.filter((call) => call.method === 'POST' && call.conversationId === conversationId);
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/**
 * Answers a call. Not `writeHead(...).end(...)`: restify, loaded in the same
 * test process, replaces ServerResponse.writeHead with one that returns nothing.
 */
function respond(response: ServerResponse, status: number, headers: Record<string, string>, body: string): void {
  response.writeHead(status, headers);
  response.end(body);
}

async function readBody(request: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    return { text };
  }
}
