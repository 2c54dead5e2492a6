import { until } from '../support/until';
import { MongoClient, ObjectId, type Db } from 'mongodb';
import { portalCall, startPortal, type PortalProcess } from '../browser/support/portal-process';

/**
 * Short leases, so the killed instance's sync lets its customer go soon, and
 * follow-ups looked for five times a second. The dev sign-in is asked for:
 * the instances share the tests' database server (MONGODB_URI).
 */
const INSTANCE = { SYNC_LEASE_SECONDS: '5', FOLLOW_UP_LEASE_SECONDS: '2', FOLLOW_UP_POLL_MS: '200', DEV_SIGN_IN: 'true' };
const REMOVED = '+12125550100';

const ownerPid = (owner: string) => Number(owner.split(':')[1]);


/**
 * Two instances of the app on one database: instance 1 runs a sync of
 * Contoso against a slow backend; a removal made on instance 2 meanwhile
 * queues the one follow-up run; instance 1 is killed with kill -9 before its
 * run ends, so nobody hands the lease over. Once the dead run's lease runs
 * out, instance 2 starts the queued run (its stored follow-up), once, and
 * that run applies the removal.
 */
describe('a sync queued behind a run whose instance is killed', () => {
  const instances: PortalProcess[] = [];
  const client = new MongoClient(process.env.MONGODB_URI!);
  afterAll(async () => {
    await Promise.all(instances.map((instance) => instance.stop()));
    await client.close();
  }, 60_000);

  const call = portalCall;
  const tokenOf = async (instance: PortalProcess, tenantId: string) =>
    (await call(instance, 'POST', '/api/v1/dev/token', undefined, { tenantId })).body.token as string;

  it('is started by the surviving instance once the dead run lets the customer go, exactly once, and applies the change', async () => {
    // Each instance has a backend simulator of its own: instance 1's answers every call after 1.5 s.
    const first = await startPortal({ ...INSTANCE, SIMULATOR_LATENCY_MS: '1500' });
    instances.push(first);
    const second = await startPortal({ ...INSTANCE, SIMULATOR_LATENCY_MS: '0', MONGODB_DB: first.database });
    instances.push(second);
    const db: Db = client.db(first.database);

    const partners = (await call(first, 'GET', '/api/v1/dev/partners')).body.items as { tenantId: string; name: string }[];
    const tenantId = partners.find((p) => p.name.startsWith('Northwind'))!.tenantId;
    const [firstToken, secondToken] = [await tokenOf(first, tenantId), await tokenOf(second, tenantId)];
    const contoso = ((await call(first, 'GET', '/api/v1/customers?search=contoso', firstToken)).body.items as { id: string }[])[0]!.id;
    const customerId = new ObjectId(contoso);

    const started = await call(first, 'POST', `/api/v1/customers/${contoso}/sync`, firstToken);
    expect(started.body).toMatchObject({ started: true, queuedAfter: null });
    const underWay = String(started.body.id);

    // The removal on the other instance: its clean-up sync is queued behind the run under way.
    const removed = await call(second, 'POST', `/api/v1/customers/${contoso}/numbers/remove`, secondToken, { numbers: [REMOVED], mode: 'delete' });
    expect(removed.status).toBe(200);
    const queued = removed.body.syncRun as { id: string; started: boolean; queuedAfter: string; state: string };
    expect(queued).toMatchObject({ started: false, queuedAfter: underWay, state: 'queued' });
    const claimsWhenQueued = (await db.collection('customers').findOne({ _id: customerId }))!.syncClaims as number;

    const runs = db.collection('syncRuns');
    await first.kill();
    // Killed before its run could end, or hand over: what follows is the other instance's to do.
    expect(['queued', 'running']).toContain((await runs.findOne({ _id: new ObjectId(underWay) }))!.state);
    expect((await runs.findOne({ _id: new ObjectId(queued.id) }))!.state).toBe('queued');

    const ended = await until('the queued run ends', async () => {
      const run = await runs.findOne({ _id: new ObjectId(queued.id) });
      return run && (run.state === 'succeeded' || run.state === 'failed') ? run : undefined;
    });
    expect(ended).toMatchObject({ state: 'succeeded', trigger: 'after-remove', after: new ObjectId(underWay) });
    expect(ended.changes.toRemove).toEqual([{ e164: REMOVED, mode: 'delete' }]);
    expect(ended.changes.toRelease).toEqual([REMOVED]);
    expect(await runs.findOne({ _id: new ObjectId(underWay) })).toMatchObject({ state: 'failed', errors: [{ message: expect.stringContaining('interrupted') }] });
    // The change is applied: the number is gone from the portal, its removal no longer pending.
    expect(await db.collection('numbers').countDocuments({ e164: REMOVED })).toBe(0);
    const read = await call(second, 'GET', `/api/v1/sync-runs/${queued.id}`, secondToken);
    expect(read.body).toMatchObject({ state: 'succeeded', changeCounts: { removed: 1, released: 1 } });

    // Exactly once: the customer's lease was taken once after the run was queued, by the survivor, for it; no other run began.
    const claims = await db.collection<{ _id: string; owner: string }>('leaseClaims').find({}).toArray();
    const afterQueued = claims.filter((claim) => claim._id.startsWith(`customers:${contoso}:sync:`) && Number(claim._id.split(':').pop()) > claimsWhenQueued);
    expect(afterQueued).toHaveLength(1);
    expect(ownerPid(afterQueued[0]!.owner)).toBe(second.pid);
    expect((await runs.find({ customerId }).toArray()).map((run) => String(run._id)).sort()).toEqual([underWay, queued.id].sort());
    const customer = await db.collection('customers').findOne({ _id: customerId });
    expect(customer).toMatchObject({ lastSync: { runId: new ObjectId(queued.id), state: 'succeeded' } });
    expect(customer!.syncLease).toBeUndefined();
    expect(customer!.syncQueued).toBeUndefined();
    // The follow-up that watched the queued run has ended.
    await until('the watch ends', async () => ((await db.collection('followUps').countDocuments({ kind: 'sync.queued', state: 'open' })) === 0 ? true : undefined));
  }, 150_000);
});
