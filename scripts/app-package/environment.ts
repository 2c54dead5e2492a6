import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'dotenv';

export const ROOT = path.resolve(__dirname, '..', '..');
export const ENVIRONMENTS = ['dev', 'local', 'testtool'] as const;

/**
 * A Toolkit environment's variables: env/.env.<env>, then the git-ignored
 * env/.env.<env>.user (secrets), then the process environment, which wins
 * when it sets a value (CI, or a one-off override).
 */
export function environmentVariables(env: string, root = ROOT, processEnv: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const file = path.join(root, 'env', `.env.${env}`);
  if (!fs.existsSync(file)) throw new Error(`no environment "${env}": ${path.relative(root, file)} does not exist`);
  const values: Record<string, string> = { ...parse(fs.readFileSync(file)) };
  const user = `${file}.user`;
  if (fs.existsSync(user)) Object.assign(values, parse(fs.readFileSync(user)));
  for (const [name, value] of Object.entries(processEnv)) {
    if (value !== undefined && value !== '' && /^[A-Z][A-Z0-9_]*$/.test(name)) values[name] = value;
  }
  return values;
}
