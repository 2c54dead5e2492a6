import { MongoClient, type Db, type MongoClientOptions } from 'mongodb';

/** The connection: the features take their collections from `db` (collection-definition.ts). */
export interface Database {
  readonly client: MongoClient;
  readonly db: Db;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export async function connectDatabase(
  uri: string,
  dbName: string,
  options: MongoClientOptions = {},
): Promise<Database> {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 10_000, ...options });
  await client.connect();
  const db = client.db(dbName);
  return {
    client,
    db,
    async ping() {
      await db.command({ ping: 1 });
    },
    close: () => client.close(),
  };
}
