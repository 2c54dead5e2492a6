import { parseArgs } from 'node:util';
import { PartnerRegistry } from '../partners/partner-registry';
import { loadSettings } from '../settings/settings';
import { connectDatabase } from '../storage/database';
import { readLocalDatabaseFile } from '../storage/local-database-file';

const USAGE = `Register the partners who may sign in (operator command).

  npm run partner -- add --tenant <entra tenant id> --name "<partner name>"
  npm run partner -- list

The database is MONGODB_URI, or the embedded database of the app that
"npm start" is running on this machine.`;

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { tenant: { type: 'string' }, name: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  const command = positionals[0];
  if (values.help || (command !== 'add' && command !== 'list')) {
    process.stdout.write(`${USAGE}\n`);
    return values.help ? 0 : 2;
  }
  if (command === 'add' && (!values.tenant || !values.name)) {
    process.stderr.write('add needs --tenant <id> and --name <name>\n');
    return 2;
  }
  const settings = loadSettings();
  const uri = settings.MONGODB_URI ?? readLocalDatabaseFile();
  if (!uri) {
    process.stderr.write(
      'No database: set MONGODB_URI, or start the app with "npm start" (embedded database) and run this again.\n',
    );
    return 1;
  }
  const database = await connectDatabase(uri, settings.MONGODB_DB);
  try {
    const registry = new PartnerRegistry(database.partners, 0);
    if (command === 'add') {
      const { partner, created } = await registry.register({ tenantId: values.tenant!, name: values.name! });
      process.stdout.write(`${created ? 'Registered' : 'Updated'} partner "${partner.name}" (tenant ${partner.tenantId})\n`);
    } else {
      for (const partner of await registry.list()) process.stdout.write(`${partner.tenantId}\t${partner.name}\n`);
    }
    return 0;
  } finally {
    await database.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
