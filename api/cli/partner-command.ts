import { parseArgs } from 'node:util';
import { ZodError } from 'zod';
import { AppError } from '../errors';
import { partnerCollection } from '../partners/partner-document';
import { PartnerRegistry } from '../partners/partner-registry';
import { auditCollection } from '../audit/audit-document';
import { AuditLog } from '../audit/audit-log';
import { memberCollection } from '../members/member-document';
import { MemberDirectory } from '../members/member-directory';
import { loadSettings } from '../settings/settings';
import { ensureIndexes } from '../storage/collection-definition';
import { connectDatabase } from '../storage/database';
import { readLocalDatabaseFile } from '../storage/local-database-file';

export const PARTNER_USAGE = `Register the partners who may sign in (operator command).

  npm run partner -- add --tenant <entra tenant id> --name "<partner name>" --backend-account <reseller account id> [--admin <entra object id>]...
  npm run partner -- backend-account --tenant <entra tenant id> --backend-account <reseller account id>
  npm run partner -- admin --tenant <entra tenant id> --admin <entra object id> [--admin <id>]...
  npm run partner -- list

--backend-account is the partner's reseller account on the carrier's backend:
every customer Account ID the partner enters must be an account under it
(checked on the backend), and one reseller account belongs to one partner.
Until a partner has one, its users cannot create or sync customers.
"backend-account" sets or changes it later.

--admin names a user (their Microsoft Entra object id, "oid") who is Admin of
the partner without being granted: they manage the partner's members and roles
in the portal. "admin" adds one to a registered partner later, or gives the
role back to someone an Admin demoted.

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
      options: {
        tenant: { type: 'string' },
        name: { type: 'string' },
        admin: { type: 'string', multiple: true },
        'backend-account': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    io.err(`${(error as Error).message}\n\n${PARTNER_USAGE}\n`);
    return 2;
  }
  const { positionals, values } = parsed;
  const command = positionals[0];
  if (values.help || (command !== 'add' && command !== 'admin' && command !== 'backend-account' && command !== 'list')) {
    (values.help ? io.out : io.err)(`${PARTNER_USAGE}\n`);
    return values.help ? 0 : 2;
  }
  if (command === 'add' && (!values.tenant?.trim() || !values.name?.trim())) {
    io.err('add needs --tenant <id> and --name <name>\n');
    return 2;
  }
  if (command === 'backend-account' && (!values.tenant?.trim() || !values['backend-account']?.trim())) {
    io.err('backend-account needs --tenant <id> and --backend-account <reseller account id>\n');
    return 2;
  }
  const admins = (values.admin ?? []).map((oid) => oid.trim());
  if (admins.some((oid) => oid === '' || oid.length > 100)) {
    io.err('--admin needs the Entra object id (oid) of a user\n');
    return 2;
  }
  if (command === 'admin' && (!values.tenant?.trim() || admins.length === 0)) {
    io.err('admin needs --tenant <id> and at least one --admin <entra object id>\n');
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
    await ensureIndexes(database.db, [partnerCollection, memberCollection, auditCollection]);
    const registry = new PartnerRegistry(partnerCollection.of(database.db), 0);
    const members = new MemberDirectory(memberCollection.of(database.db), registry, new AuditLog(auditCollection.of(database.db)));
    if (command === 'backend-account') {
      const { partner, before } = await registry.setBackendAccount(values.tenant!.trim(), values['backend-account']!);
      io.out(
        before === partner.backendAccountId
          ? `Partner "${partner.name}" already has reseller account ${partner.backendAccountId}\n`
          : `Partner "${partner.name}": reseller account ${before ?? '(none)'} -> ${partner.backendAccountId}\n`,
      );
    } else if (command === 'add' || command === 'admin') {
      let partner;
      if (command === 'add') {
        const backendAccountId = values['backend-account']?.trim();
        const registered = await registry.register({
          tenantId: values.tenant!,
          name: values.name!,
          ...(backendAccountId ? { backendAccountId } : {}),
        });
        partner = registered.partner;
        io.out(`${registered.created ? 'Registered' : 'Renamed'} partner "${partner.name}" (tenant ${partner.tenantId})\n`);
        if (partner.backendAccountId) io.out(`Reseller account on the backend: ${partner.backendAccountId}\n`);
        else {
          io.err(
            `Partner "${partner.name}" has no reseller account on the backend yet: its users cannot create or sync customers until you run\n  npm run partner -- backend-account --tenant ${partner.tenantId} --backend-account <reseller account id>\n`,
          );
        }
      } else {
        partner = await registry.findByTenantId(values.tenant!.trim());
        if (!partner) {
          io.err(`No partner is registered for tenant ${values.tenant!.trim()}; register it first with "add"\n`);
          return 1;
        }
      }
      for (const oid of admins) {
        const before = await members.grantAdminAtRegistration(partner._id, oid);
        io.out(`${before === 'admin' ? 'Already Admin' : 'Admin'} of "${partner.name}": ${oid}\n`);
      }
    } else {
      for (const partner of await registry.list()) io.out(`${partner.tenantId}\t${partner.name}\t${partner.backendAccountId ?? '(no reseller account)'}\n`);
    }
    return 0;
  } catch (error) {
    // What the operator typed or chose, told as a sentence: a reseller account held by another partner, a malformed id.
    if (error instanceof AppError) io.err(`${error.message}\n`);
    else if (error instanceof ZodError) io.err(`${error.issues.map((issue) => issue.message).join('; ')}\n`);
    else throw error;
    return 1;
  } finally {
    await database.close();
  }
}
