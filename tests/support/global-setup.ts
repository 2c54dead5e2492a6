import { startEmbeddedMongo } from '../../api/storage/embedded-mongo';

/**
 * One database server for the whole run: MONGODB_URI when set (real MongoDB),
 * otherwise the embedded server. Each test file takes a database of its own.
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.MONGODB_URI) return;
  const embedded = await startEmbeddedMongo();
  process.env.MONGODB_URI = embedded.uri;
  (globalThis as { embeddedMongo?: typeof embedded }).embeddedMongo = embedded;
}
