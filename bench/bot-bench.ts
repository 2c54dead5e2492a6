/**
 * npm run bench:bot: activities posted over HTTP to /api/messages of the app
 * as `npm start` runs it (local mode), with a connector stand-in on loopback
 * as the activities' serviceUrl. Prints the median and p95 time from posting
 * an activity to the bot's first reply reaching the connector, for
 * "sync <customer>" and for "add numbers <customer>" with 100 numbers.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startPortal } from '../tests/browser/support/portal-process';

const RUNS = 20;
const TENANT = '00000000-0000-0000-0000-0000000000001';

async function main() {
  const firstReply = new Map<string, (at: number) => void>();
  const connector = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const at = performance.now();
      const activity = JSON.parse(body || '{}') as { replyToId?: string };
      if (req.method === 'POST' && activity.replyToId) firstReply.get(activity.replyToId)?.(at);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: `reply-${Math.random().toString(36).slice(2)}` }));
    });
  });
  await new Promise<void>((resolve) => connector.listen(0, '127.0.0.1', () => resolve()));
  const serviceUrl = `http://127.0.0.1:${(connector.address() as AddressInfo).port}/`;
  const portal = await startPortal();
  try {
    const measure = async (text: string) => {
      const id = `bench-${Math.random().toString(36).slice(2)}`;
      const replied = new Promise<number>((resolve) => firstReply.set(id, resolve));
      const start = performance.now();
      const response = await fetch(`${portal.url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          type: 'message',
          id,
          text,
          channelId: 'msteams',
          serviceUrl,
          from: { id: '29:bench', aadObjectId: 'bench-user', name: 'Bench' },
          recipient: { id: '28:bot' },
          conversation: { id: 'a:bench', conversationType: 'personal', tenantId: TENANT },
          channelData: { tenant: { id: TENANT } },
        }),
      });
      if (!response.ok) throw new Error(`${text}: ${response.status}`);
      return (await replied) - start;
    };
    await measure('help'); // warm-up
    const sync: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      sync.push(await measure('sync contoso'));
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const add: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const numbers = Array.from({ length: 100 }, (_, n) => `+1 332 555 ${String(i * 100 + n).padStart(4, '0')}`).join(', ');
      add.push(await measure(`add numbers contoso ${numbers}`));
    }
    console.log(`sync <customer>                 ${stats(sync)}`);
    console.log(`add numbers <customer> (100)    ${stats(add)}`);
  } finally {
    await portal.stop();
    connector.close();
  }
}

function stats(times: number[]): string {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
  return `median ${at(0.5).toFixed(0)} ms, p95 ${at(0.95).toFixed(0)} ms (${times.length} runs, to the first reply)`;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
