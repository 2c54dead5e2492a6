// npm run playground: the app (as npm start runs it) and the Microsoft 365
// Agents Playground pointed at its bot endpoint. The Playground's default
// tenant is the demo partner's, so the demo data answers there.
import { spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const port = process.env.PORT ?? '3978';
const children = [];

function start(command, args, env = {}) {
  const child = spawn(command, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  child.on('exit', (code) => {
    console.log(`${path.basename(command)} ${args[0] ?? ''} exited (${code}); stopping`);
    stop(code ?? 1);
  });
  return child;
}

function stop(code = 0) {
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  setTimeout(() => process.exit(code), 500).unref();
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

const app = start(process.execPath, ['--disable-warning=DEP0111', 'dist/server/main.js'], { PORT: port });
readline.createInterface({ input: app.stdout }).on('line', (line) => {
  console.log(line);
  if (!/Teams Partner Portal: http/.test(line)) return;
  const playground = start(path.join(root, 'node_modules', '.bin', 'agentsplayground'), [
    '-e',
    `http://localhost:${port}/api/messages`,
    '-c',
    'msteams',
    '--disable-telemetry',
  ], {
    // A no-op browser opener first on PATH (see scripts/no-browser/xdg-open).
    PATH: `${path.join(root, 'scripts', 'no-browser')}${path.delimiter}${process.env.PATH}`,
  });
  readline.createInterface({ input: playground.stdout }).on('line', (out) => console.log(`[playground] ${out}`));
});
