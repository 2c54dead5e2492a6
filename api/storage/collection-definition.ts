import type { Collection, Db, Document, IndexDescription } from 'mongodb';

/**
 * A collection as its feature declares it: name, document type and indexes.
 * Storage knows no feature; each feature module owns its definitions, and
 * start-up ensures the indexes of the features it mounts.
 */
export interface CollectionDefinition<T extends Document> {
  readonly name: string;
  readonly indexes: readonly IndexDescription[];
  /** The typed collection in `db`: the same object on every call for one `db`. */
  of(db: Db): Collection<T>;
}

export function defineCollection<T extends Document>(
  name: string,
  indexes: readonly IndexDescription[] = [],
): CollectionDefinition<T> {
  // One object per db, so whoever takes the collection (a service, a test's spy) holds the same one.
  const opened = new WeakMap<Db, Collection<T>>();
  return {
    name,
    indexes,
    of(db) {
      let collection = opened.get(db);
      if (!collection) opened.set(db, (collection = db.collection<T>(name)));
      return collection;
    },
  };
}

/**
 * createIndexes is a no-op for an index that exists with the same keys and
 * options. `except` leaves out indexes that cannot be built yet (by
 * collection and index name), for start-up to report instead.
 */
export async function ensureIndexes(
  db: Db,
  definitions: readonly Pick<CollectionDefinition<Document>, 'name' | 'indexes'>[],
  except: readonly { collection: string; index: string }[] = [],
): Promise<void> {
  await Promise.all(
    definitions
      .map((definition) => ({
        name: definition.name,
        indexes: definition.indexes.filter((index) => !except.some((left) => left.collection === definition.name && left.index === index.name)),
      }))
      .filter((definition) => definition.indexes.length > 0)
      .map((definition) => db.collection(definition.name).createIndexes([...definition.indexes])),
  );
}
