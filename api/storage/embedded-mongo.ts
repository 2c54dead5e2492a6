import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';

/**
 * The embedded MongoDB-compatible server (jongodb) used when MONGODB_URI is not
 * set: in memory, for trying the app at demo scale and for the tests.
 */
export interface EmbeddedMongo {
  readonly uri: string;
  stop(): Promise<void>;
}

const STARTUP_TIMEOUT_MS = 30_000;

export function embeddedMongoBinary(): string {
  const packageJson = require.resolve('@jongodb/memory-server-bin-linux-x64-gnu/package.json');
  return path.join(path.dirname(packageJson), 'bin', 'jongodb');
}

export function startEmbeddedMongo(): Promise<EmbeddedMongo> {
  return new Promise((resolve, reject) => {
    let child: ChildProcess;
    try {
      // Port 0: the server picks a free loopback port and prints its URI.
      child = spawn(embeddedMongoBinary(), ['--host=127.0.0.1', '--port=0'], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    } catch (error) {
      reject(error);
      return;
    }
    const stderr: string[] = [];
    child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`embedded MongoDB did not start within ${STARTUP_TIMEOUT_MS} ms: ${stderr.join('')}`));
    }, STARTUP_TIMEOUT_MS);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`embedded MongoDB exited with code ${code}: ${stderr.join('')}`));
    });
    const lines = readline.createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      const match = /^JONGODB_URI=(\S+)/.exec(line);
      if (!match?.[1]) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      // However this process ends, the database must not outlive it.
      const killChild = () => child.kill('SIGKILL');
      process.once('exit', killChild);
      child.once('exit', () => process.removeListener('exit', killChild));
      const uri = match[1];
      resolve({
        uri,
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null || child.signalCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    });
  });
}
