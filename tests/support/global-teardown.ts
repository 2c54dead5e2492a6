import type { EmbeddedMongo } from '../../api/storage/embedded-mongo';

export default async function globalTeardown(): Promise<void> {
  await (globalThis as { embeddedMongo?: EmbeddedMongo }).embeddedMongo?.stop();
}
