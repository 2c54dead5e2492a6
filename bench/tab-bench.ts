/**
 * npm run bench:tab: on the local default (`npm start`'s built app) with 1,000
 * customers, the gzipped size of the JavaScript the first view loads and the
 * time from navigation to the customers table showing its first rows, in
 * headless Chromium (median of 5).
 */
import fs from 'node:fs';
import { gzipSync } from 'node:zlib';
import { ObjectId } from 'mongodb';
import { connectDatabase } from '../api/storage/database';
import { partnerCollection } from '../api/partners/partner-document';
import { customerCollection } from '../api/customers/customer-document';
import { LOCAL_DATABASE_FILE } from '../api/storage/local-database-file';
import { launchChromium } from '../tests/browser/support/chromium';
import { startPortal } from '../tests/browser/support/portal-process';

const CUSTOMERS = 1000;
const RUNS = 5;
const TENANT = '00000000-0000-0000-0000-0000000000001';

async function main() {
  const portal = await startPortal();
  try {
    await addCustomers(portal.database);
    const browser = await launchChromium();
    try {
      const times: number[] = [];
      let jsBytes = 0;
      let jsGzip = 0;
      let files = 0;
      for (let run = 0; run < RUNS; run++) {
        // A fresh profile each run: nothing cached, as a first visit.
        const context = await browser.newContext();
        // Signed in already, as the demo partner's Admin (the dev sign-in remembers who per tab session).
        const who = JSON.stringify({ tenantId: TENANT, userId: 'dev-user', name: 'Local developer' });
        await context.addInitScript({ content: `sessionStorage.setItem('portal.devSignIn', ${JSON.stringify(who)})` });
        const page = await context.newPage();
        const scripts: Promise<Buffer>[] = [];
        page.on('response', (response) => {
          if (response.request().resourceType() === 'script') scripts.push(response.body());
        });
        const start = performance.now();
        await page.goto(portal.url);
        await page.getByRole('table', { name: 'Customers' }).getByRole('row').nth(1).waitFor();
        times.push(performance.now() - start);
        if (run === 0) {
          const bodies = await Promise.all(scripts);
          files = bodies.length;
          jsBytes = bodies.reduce((sum, body) => sum + body.length, 0);
          jsGzip = bodies.reduce((sum, body) => sum + gzipSync(body).length, 0);
        }
        await context.close();
      }
      times.sort((a, b) => a - b);
      console.log(`customers: ${CUSTOMERS + 4} for the demo partner (embedded database)`);
      console.log(`first view JavaScript: ${files} file(s), ${(jsBytes / 1024).toFixed(0)} KB, ${(jsGzip / 1024).toFixed(0)} KB gzipped`);
      console.log(
        `navigation to first rows: median ${times[Math.floor(RUNS / 2)]!.toFixed(0)} ms (runs: ${times.map((t) => t.toFixed(0)).join(', ')} ms)`,
      );
    } finally {
      await browser.close();
    }
  } finally {
    await portal.stop();
  }
}

/** 1,000 more customers for the demo partner, straight into the running app's embedded database. */
async function addCustomers(databaseName: string) {
  const uri = process.env.MONGODB_URI ?? (JSON.parse(fs.readFileSync(LOCAL_DATABASE_FILE, 'utf8')) as { uri: string }).uri;
  const database = await connectDatabase(process.env.MONGODB_URI ?? uri, databaseName);
  try {
    const partner = await partnerCollection.of(database.db).findOne({ tenantId: TENANT });
    if (!partner) throw new Error('the demo partner is not there');
    const now = new Date();
    const customers = Array.from({ length: CUSTOMERS }, (_, i) => {
      const name = `Bench Customer ${String(i).padStart(4, '0')}`;
      return {
        _id: new ObjectId(),
        partnerId: partner._id,
        accountId: `bench-${i}`,
        tenantName: `bench${i}.onmicrosoft.com`,
        name,
        nameKey: name.toLowerCase(),
        maxChannels: 1 + (i % 40),
        canManage: i % 4 === 0,
        numberCount: 0,
        createdAt: now,
        createdBy: { tid: TENANT, oid: 'bench' },
        updatedAt: now,
      };
    });
    await customerCollection.of(database.db).insertMany(customers);
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

