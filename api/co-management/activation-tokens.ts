import { createHash, randomBytes } from 'node:crypto';

/** A random token of so many bytes, URL-safe. */
export function newToken(bytes: number): string {
  return randomBytes(bytes).toString('base64url');
}

/** What is stored of a token: its SHA-256, so the database never holds one that works. */
export function hashOf(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
