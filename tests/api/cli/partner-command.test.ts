import { randomBytes } from 'node:crypto';
import { runPartnerCommand } from '../../../api/cli/partner-command';
import { partnerCollection } from '../../../api/partners/partner-document';
import { auditCollection } from '../../../api/audit/audit-document';
import { memberCollection } from '../../../api/members/member-document';
import { connectDatabase } from '../../../api/storage/database';

describe('npm run partner', () => {
  const dbName = `test-cli-${randomBytes(4).toString('hex')}`;
  const env = { MONGODB_URI: process.env.MONGODB_URI, MONGODB_DB: dbName };

  async function run(...argv: string[]) {
    let out = '';
    let err = '';
    const code = await runPartnerCommand(argv, { env, out: (t) => (out += t), err: (t) => (err += t) });
    return { code, out, err };
  }

  it('registers a partner, renames it, and lists partners', async () => {
    expect(await run('add', '--tenant', 'cli-tenant-1', '--name', 'First Name')).toMatchObject({
      code: 0,
      out: expect.stringContaining('Registered partner "First Name" (tenant cli-tenant-1)'),
    });
    expect(await run('add', '--tenant', 'cli-tenant-1', '--name', 'Second Name')).toMatchObject({
      code: 0,
      out: expect.stringContaining('Renamed'),
    });
    const listed = await run('list');
    expect(listed.code).toBe(0);
    expect(listed.out).toBe('cli-tenant-1\tSecond Name\t(no reseller account)\n');

    const database = await connectDatabase(process.env.MONGODB_URI!, dbName);
    try {
      const partners = partnerCollection.of(database.db);
      expect(await partners.countDocuments({ tenantId: 'cli-tenant-1' })).toBe(1);
      // The CLI may be the first to touch the database: it makes the one-partner-per-tenant index itself.
      const indexes = await partners.listIndexes().toArray();
      expect(indexes).toContainEqual(expect.objectContaining({ name: 'tenantId_unique', unique: true }));
    } finally {
      await database.close();
    }
  });

  it('registers a partner with its reseller account on the backend, sets it later, and keeps one partner per reseller account', async () => {
    const added = await run('add', '--tenant', 'cli-reseller-1', '--name', 'Reseller One', '--backend-account', 'reseller-one');
    expect(added).toMatchObject({ code: 0, out: expect.stringContaining('Reseller account on the backend: reseller-one'), err: '' });
    // Without one, the operator is told what the partner cannot do yet and how to set it.
    const bare = await run('add', '--tenant', 'cli-reseller-2', '--name', 'Reseller Two');
    expect(bare.code).toBe(0);
    expect(bare.err).toContain('cannot create or sync customers until you run\n  npm run partner -- backend-account --tenant cli-reseller-2');
    // Another partner's reseller account is refused, naming who holds it (the carrier's own tool).
    expect(await run('backend-account', '--tenant', 'cli-reseller-2', '--backend-account', 'reseller-one')).toMatchObject({
      code: 1,
      err: expect.stringContaining('belongs to partner "Reseller One" (tenant cli-reseller-1) already'),
    });
    expect(await run('backend-account', '--tenant', 'cli-reseller-2', '--backend-account', 'reseller-two')).toMatchObject({
      code: 0,
      out: 'Partner "Reseller Two": reseller account (none) -> reseller-two\n',
    });
    expect(await run('backend-account', '--tenant', 'cli-reseller-2', '--backend-account', 'reseller-two')).toMatchObject({
      code: 0,
      out: 'Partner "Reseller Two" already has reseller account reseller-two\n',
    });
    expect(await run('backend-account', '--tenant', 'cli-reseller-2', '--backend-account', 'not an id!')).toMatchObject({
      code: 1,
      err: expect.stringContaining('may hold only letters, digits and dashes'),
    });
    expect(await run('backend-account', '--tenant', 'no-such-tenant', '--backend-account', 'reseller-x')).toMatchObject({
      code: 1,
      err: expect.stringContaining('No partner is registered for tenant no-such-tenant'),
    });
    expect(await run('backend-account', '--tenant', 'cli-reseller-2')).toMatchObject({ code: 2, err: expect.stringContaining('--backend-account') });
    const listed = await run('list');
    expect(listed.out).toContain('cli-reseller-1\tReseller One\treseller-one\n');
    expect(listed.out).toContain('cli-reseller-2\tReseller Two\treseller-two\n');
  });

  it('names Admins at registration (--admin, repeatable) and later (partner admin), audited as the carrier', async () => {
    expect(await run('add', '--tenant', 'cli-tenant-2', '--name', 'Admins Ltd', '--admin', 'oid-ann', '--admin', 'oid-bob')).toMatchObject({
      code: 0,
      out: expect.stringContaining('Admin of "Admins Ltd": oid-bob'),
    });
    expect(await run('admin', '--tenant', 'cli-tenant-2', '--admin', 'oid-cy')).toMatchObject({ code: 0, out: 'Admin of "Admins Ltd": oid-cy\n' });
    expect(await run('admin', '--tenant', 'cli-tenant-2', '--admin', 'oid-cy')).toMatchObject({ code: 0, out: 'Already Admin of "Admins Ltd": oid-cy\n' });
    expect(await run('admin', '--tenant', 'no-such-tenant', '--admin', 'oid-cy')).toMatchObject({ code: 1, err: expect.stringContaining('register it first') });
    expect(await run('admin', '--tenant', 'cli-tenant-2')).toMatchObject({ code: 2, err: expect.stringContaining('--admin') });

    const database = await connectDatabase(process.env.MONGODB_URI!, dbName);
    try {
      const partner = await partnerCollection.of(database.db).findOne({ tenantId: 'cli-tenant-2' });
      const members = await memberCollection.of(database.db).find({ partnerId: partner!._id }).sort({ oid: 1 }).toArray();
      expect(members.map(({ oid, role, grantedBy }) => ({ oid, role, grantedBy }))).toEqual(
        ['oid-ann', 'oid-bob', 'oid-cy'].map((oid) => ({ oid, role: 'admin', grantedBy: { how: 'registration' } })),
      );
      const audit = await auditCollection.of(database.db).find({ partnerId: partner!._id }).toArray();
      expect(audit.map((entry) => [entry.action, entry.actor.oid, entry.details.oid])).toEqual([
        ['member.added', 'partner-cli', 'oid-ann'],
        ['member.added', 'partner-cli', 'oid-bob'],
        ['member.added', 'partner-cli', 'oid-cy'],
      ]);
    } finally {
      await database.close();
    }
  });

  it('explains its usage when the command is wrong', async () => {
    expect(await run('remove')).toMatchObject({ code: 2, err: expect.stringContaining('npm run partner -- add') });
    expect(await run('add', '--tenant', 'x')).toMatchObject({ code: 2, err: expect.stringContaining('--name') });
    expect(await run('add', '--bogus')).toMatchObject({ code: 2 });
    expect(await run('--help')).toMatchObject({ code: 0, out: expect.stringContaining('Register the partners') });
  });
});
