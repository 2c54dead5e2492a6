import { randomBytes } from 'node:crypto';
import { connectDatabase, type Database } from '../../api/storage/database';

/** A database of the test file's own (the emulator has no dropDatabase, so names never repeat). */
export function openTestDatabase(): Promise<Database> {
  const uri = process.env.MONGODB_URI;
  if (!uri) throw new Error('MONGODB_URI is not set: run the tests through jest (global setup)');
  return connectDatabase(uri, `test-${randomBytes(6).toString('hex')}`);
}
