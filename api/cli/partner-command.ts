import { parseArgs } from 'node:util';
import { partnerCollection } from '../partners/partner-document';
import { PartnerRegistry } from '../partners/partner-registry';
import { loadSettings } from '../settings/settings';
import { ensureIndexes } from '../storage/collection-definition';
import { connectDatabase } from '../storage/database';
import { readLocalDatabaseFile } from '../storage/local-database-file';

export const PARTNER_USAGE = `Register the partners who may sign in (operator command).

  npm run partner -- add --tenant <entra tenant id> --name "<partner name>"
  npm run partner -- list

The database is MONGODB_URI, or the embedded database of the app that
"npm start" is running on this machine.`;

export interface CommandIo {
  env: NodeJS.ProcessEnv;
  out(text: string): void;
  err(text: string): void;
}

/** `npm run partner -- ...`: returns the exit code. */
export async function runPartnerCommand(argv: string[], io: CommandIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { tenant: { type: 'string' }, name: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (error) {
    io.err(`${(error as Error).message}\n\n${PARTNER_USAGE}\n`);
    return 2;
  }
  const { positionals, values } = parsed;
  const command = positionals[0];
  if (values.help || (command !== 'add' && command !== 'list')) {
    (values.help ? io.out : io.err)(`${PARTNER_USAGE}\n`);
    return values.help ? 0 : 2;
  }
  if (command === 'add' && (!values.tenant?.trim() || !values.name?.trim())) {
    io.err('add needs --tenant <id> and --name <name>\n');
    return 2;
  }
  const settings = loadSettings({}, io.env);
  const uri = settings.MONGODB_URI ?? readLocalDatabaseFile();
  if (!uri) {
    io.err('No database: set MONGODB_URI, or start the app with "npm start" (embedded database) and run this again.\n');
    return 1;
  }
  const database = await connectDatabase(uri, settings.MONGODB_DB);
  try {
    // The CLI may run before the app ever started on this database: one tenant, one partner.
    await ensureIndexes(database.db, [partnerCollection]);
    const registry = new PartnerRegistry(partnerCollection.of(database.db), 0);
    if (command === 'add') {
      const { partner, created } = await registry.register({ tenantId: values.tenant!, name: values.name! });
      io.out(`${created ? 'Registered' : 'Renamed'} partner "${partner.name}" (tenant ${partner.tenantId})\n`);
    } else {
      for (const partner of await registry.list()) io.out(`${partner.tenantId}\t${partner.name}\n`);
    }
    return 0;
  } finally {
    await database.close();
  }
}
