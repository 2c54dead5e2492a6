import { randomBytes } from 'node:crypto';
import { APP_COLLECTIONS } from '../../../api/app';
import { defineCollection, ensureIndexes } from '../../../api/storage/collection-definition';
import { connectDatabase, type Database } from '../../../api/storage/database';
import { isDuplicateKeyError } from '../../../api/storage/duplicate-key';

describe('defineCollection and ensureIndexes', () => {
  let database: Database;
  beforeAll(async () => {
    database = await connectDatabase(process.env.MONGODB_URI!, `test-${randomBytes(6).toString('hex')}`);
  });
  afterAll(() => database.close());

  it('makes the indexes a feature declares, and again is a no-op', async () => {
    const things = defineCollection<{ _id: string; key: string; at: Date }>('things', [
      { key: { key: 1 }, unique: true, name: 'key_unique' },
      { key: { at: -1 }, name: 'at' },
    ]);
    await ensureIndexes(database.db, [things]);
    await ensureIndexes(database.db, [things]);

    const names = (await things.of(database.db).listIndexes().toArray()).map((index) => index.name).sort();
    expect(names).toEqual(['_id_', 'at', 'key_unique']);
    await things.of(database.db).insertOne({ _id: 'a', key: 'k', at: new Date() });
    const second = await things.of(database.db).insertOne({ _id: 'b', key: 'k', at: new Date() }).catch((error: unknown) => error);
    expect(isDuplicateKeyError(second)).toBe(true);
  });

  it('hands out one collection object per database', () => {
    const things = defineCollection<{ _id: string }>('things');
    expect(things.of(database.db)).toBe(things.of(database.db));
    expect(things.of(database.db).collectionName).toBe('things');
  });

  it('every collection the app mounts has a distinct name', () => {
    const names = APP_COLLECTIONS.map((definition) => definition.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(expect.arrayContaining(['partners', 'customers', 'numbers', 'syncRuns', 'teamsClaims']));
  });

  it('start-up makes every index the mounted features declare', async () => {
    await ensureIndexes(database.db, APP_COLLECTIONS);
    for (const definition of APP_COLLECTIONS) {
      const made = (await database.db.collection(definition.name).listIndexes().toArray()).map((index) => index.name);
      expect(made).toEqual(expect.arrayContaining(definition.indexes.map((index) => index.name)));
    }
  });
});
