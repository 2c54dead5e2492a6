import fs from 'node:fs';
import path from 'node:path';

/**
 * While `npm start` runs on the embedded database, its address is written here,
 * so `npm run partner` can reach the running app's data.
 */
export const LOCAL_DATABASE_FILE = path.join(projectRoot(), '.local', 'embedded-mongodb.json');

/** The folder of the project's package.json, from source (api/) or build (dist/api/). */
function projectRoot(): string {
  let folder = __dirname;
  while (!fs.existsSync(path.join(folder, 'package.json')) && path.dirname(folder) !== folder) {
    folder = path.dirname(folder);
  }
  return folder;
}

export function writeLocalDatabaseFile(uri: string): void {
  fs.mkdirSync(path.dirname(LOCAL_DATABASE_FILE), { recursive: true });
  fs.writeFileSync(LOCAL_DATABASE_FILE, JSON.stringify({ uri, pid: process.pid }));
}

export function removeLocalDatabaseFile(): void {
  fs.rmSync(LOCAL_DATABASE_FILE, { force: true });
}

/** The running local app's embedded database, if there is one. */
export function readLocalDatabaseFile(): string | undefined {
  try {
    const { uri, pid } = JSON.parse(fs.readFileSync(LOCAL_DATABASE_FILE, 'utf8')) as { uri: string; pid: number };
    process.kill(pid, 0);
    return uri;
  } catch {
    return undefined;
  }
}
