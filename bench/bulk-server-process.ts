/**
 * The bulk benches' side of bulk-server.ts: the server forked in a process of
 * its own (its memory measured alone), and its answers over IPC.
 */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export interface BulkServer {
  child: ChildProcess;
  /** The server's base URL, a token of the bench partner's Admin, and the partner's id. */
  base: string;
  auth: { authorization: string };
  partnerId: string;
}

/** Forks bulk-server.ts on database `name` at `uri` and waits until it listens. */
export async function forkBulkServer(uri: string, name: string, extraFlags: string[] = []): Promise<BulkServer> {
  const child = fork(path.join(__dirname, 'bulk-server.ts'), [uri, name], {
    execArgv: ['--import', 'tsx', '--disable-warning=DEP0111', '--expose-gc', ...extraFlags],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = (await nextMessage(child, 'ready')) as { port: number; token: string; partnerId: string };
  return { child, base: `http://127.0.0.1:${ready.port}`, auth: { authorization: `Bearer ${ready.token}` }, partnerId: ready.partnerId };
}

/** The server's next message of `type`; a server that exits first fails it. */
export function nextMessage(child: ChildProcess, type: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: { type: string }) => {
      if (message.type !== type) return;
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(message);
    };
    const onExit = (code: number | null) => reject(new Error(`the bench server exited (${code}) before "${type}"`));
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}
