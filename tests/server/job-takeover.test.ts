import { MongoClient, ObjectId } from 'mongodb';
import { portalCall, startPortal, type PortalProcess } from '../browser/support/portal-process';

/** Small batches and a short lease, so a job spans many batches and a dead instance's claim runs out soon. */
const INSTANCE = { JOB_BATCH_ROWS: '250', JOB_LEASE_SECONDS: '2', JOB_POLL_MS: '200' };
const NUMBERS = 5_000;

interface Job {
  id: string;
  state: string;
  done: number;
  total: number;
  outcomes: Record<string, number>;
}

/**
 * Two instances of the app on one database: a paste of 5,000 numbers goes as
 * a job; the instance running it is killed with kill -9 mid-way; the other
 * takes the job over once its lease runs out and finishes it, with every row
 * recorded once, every number added once and the customer's count right.
 */
describe('a job survives the instance running it being killed', () => {
  const instances: PortalProcess[] = [];
  // The test reads the job's lease straight from the shared database: which process holds it.
  const client = new MongoClient(process.env.MONGODB_URI!);
  afterAll(async () => {
    await Promise.all(instances.map((instance) => instance.stop()));
    await client.close();
  }, 60_000);

  const call = portalCall;

  it('is taken over by the other instance and finished, each row once', async () => {
    const first = await startPortal(INSTANCE);
    instances.push(first);
    // The second on the same database (its demo seed finds everything there already).
    const second = await startPortal({ ...INSTANCE, MONGODB_DB: first.database });
    instances.push(second);

    const partners = (await call(first, 'GET', '/api/v1/dev/partners')).body.items as { tenantId: string; name: string }[];
    const tenantId = partners.find((p) => p.name.startsWith('Northwind'))!.tenantId;
    const token = (await call(first, 'POST', '/api/v1/dev/token', undefined, { tenantId })).body.token as string;
    const customers = (await call(first, 'GET', '/api/v1/customers?search=tailspin', token)).body.items as { id: string }[];
    const tailspin = customers[0]!.id;
    const pasted = Array.from({ length: NUMBERS }, (_, i) => `+1312${String(5_000_000 + i).padStart(7, '0')}`).join('\n');

    const started = await call(first, 'POST', `/api/v1/customers/${tailspin}/numbers`, token, { numbers: pasted });
    expect(started.status).toBe(202);
    const jobId = (started.body.job as Job).id;

    // Wait until some batches are done, then kill whichever instance holds the job.
    const lease = () => client.db(first.database).collection('jobs').findOne({ _id: new ObjectId(jobId) });
    let holder: PortalProcess | undefined;
    let atKill: { nextBatch: number; batches: number } | undefined;
    for (const deadline = Date.now() + 60_000; Date.now() < deadline && !holder; ) {
      const job = await lease();
      if (job && job.nextBatch >= 2 && job.lease) {
        const pid = Number(String(job.lease.owner).split(':')[1]);
        holder = instances.find((instance) => instance.pid === pid);
        atKill = { nextBatch: job.nextBatch, batches: job.batches };
      } else {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    }
    expect(holder).toBeDefined();
    await holder!.kill();
    // Killed mid-way: there was work left for the other instance.
    expect(atKill!.nextBatch).toBeLessThan(atKill!.batches);
    const survivor = instances.find((instance) => instance !== holder)!;
    // Each instance signs its own dev tokens.
    const survivorToken = (await call(survivor, 'POST', '/api/v1/dev/token', undefined, { tenantId })).body.token as string;

    let job: Job | undefined;
    for (const deadline = Date.now() + 60_000; Date.now() < deadline; ) {
      job = (await call(survivor, 'GET', `/api/v1/jobs/${jobId}`, survivorToken)).body as unknown as Job;
      if (job.state !== 'running' && job.state !== 'queued') break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(job).toMatchObject({ state: 'done', done: NUMBERS, total: NUMBERS, outcomes: { added: NUMBERS, 'already-present': 0 } });

    const rows = (await call(survivor, 'GET', `/api/v1/jobs/${jobId}/rows?outcome=added&pageSize=1`, survivorToken)).body;
    expect(rows.total).toBe(NUMBERS);
    const numbers = (await call(survivor, 'GET', `/api/v1/customers/${tailspin}/numbers?pageSize=1`, survivorToken)).body;
    expect(numbers.total).toBe(NUMBERS);
    const details = (await call(survivor, 'GET', `/api/v1/customers/${tailspin}`, survivorToken)).body;
    expect(details.numberCount).toBe(NUMBERS);
    const stored = await lease();
    expect(stored).toMatchObject({ takenOver: true, state: 'done' });
  }, 150_000);
});
