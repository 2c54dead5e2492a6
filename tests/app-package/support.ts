import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'dotenv';
import { ROOT } from '../../scripts/app-package/environment';

export { ROOT };

/** The committed env file of an environment, as the Toolkit reads it. */
export function envFile(env: string, suffix = ''): Record<string, string> {
  return parse(fs.readFileSync(path.join(ROOT, 'env', `.env.${env}${suffix}`)));
}

export function read(file: string): string {
  return fs.readFileSync(path.join(ROOT, file), 'utf8');
}

/**
 * What provisioning would write: every variable the env file leaves empty gets
 * a value of the right kind (ids are GUIDs, domains host names, endpoints https URLs).
 */
export function provisioned(env: string): Record<string, string> {
  const values = envFile(env);
  let n = 0;
  for (const [name, value] of Object.entries(values)) {
    if (value !== '') continue;
    n++;
    if (name.endsWith('_DOMAIN')) values[name] = 'partner-portal.example.net';
    else if (name.endsWith('_ENDPOINT')) values[name] = 'https://partner-portal.example.net';
    else if (name.endsWith('_ID')) values[name] = `${String(n).padStart(8, '0')}-1111-4222-8333-444455556666`;
    else values[name] = `value-of-${name.toLowerCase()}`;
  }
  return values;
}
