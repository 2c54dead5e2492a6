import { PARTNER_A, PARTNER_B, createCustomer, startTestApp, type ApiResponse, type TestApp } from '../../support/test-app';

/**
 * Numbers are unique across the database, and this file shares one database:
 * every test takes fresh numbers from here so tests never collide.
 */
const nextLine = new Map<string, number>();
function fresh(count: number, area = '212'): string[] {
  const start = nextLine.get(area) ?? 1000;
  nextLine.set(area, start + count);
  return Array.from({ length: count }, (_, i) => `+1${area}555${String(start + i).padStart(4, '0')}`);
}

interface AddResult {
  input: string;
  e164?: string;
  outcome: string;
  reason?: string;
}

describe('numbers routes', () => {
  let t: TestApp;
  let tokenB: string;

  beforeAll(async () => {
    // Removals stay pending here: what a sync does with them is tested in tests/api/sync.
    t = await startTestApp({ settings: { REMOVAL_CLEANUP: 'next-sync' } });
    tokenB = await t.tokenFor(PARTNER_B.tenantId);
  });
  afterAll(() => t.close());

  const numbersPath = (customerId: string) => `/api/v1/customers/${customerId}/numbers`;
  const add = (customerId: string, numbers: unknown, token?: string) =>
    t.request('POST', numbersPath(customerId), { body: { numbers }, ...(token ? { token } : {}) });
  const remove = (customerId: string, numbers: unknown, mode: unknown = 'delete', token?: string) =>
    t.request('POST', `${numbersPath(customerId)}/remove`, { body: { numbers, mode }, ...(token ? { token } : {}) });
  const list = (customerId: string, query = '', token?: string) =>
    t.request('GET', `${numbersPath(customerId)}${query}`, token ? { token } : {});
  const listedNumbers = async (customerId: string): Promise<string[]> => {
    const response = await list(customerId, '?pageSize=200');
    expect(response.status).toBe(200);
    return (response.body.items as { e164: string }[]).map((n) => n.e164);
  };
  const details = async (customerId: string) => {
    const response = await t.request('GET', `/api/v1/customers/${customerId}`);
    expect(response.status).toBe(200);
    return response.body;
  };
  const expectInvalidRequest = (response: ApiResponse, field: string) => {
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('invalid_request');
    expect(response.body.error.details).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
  };

  describe('POST /api/v1/customers/{id}/numbers', () => {
    it('adds pasted text and reports every number and rejected piece', async () => {
      const customerId = await createCustomer(t);
      const [a, b, c, d] = fresh(4);
      const pasted = `${a}\r\n${b}, ${c};${d} ext. 12\nhello\n\n`;
      const response = await add(customerId, pasted);
      expect(response.status).toBe(200);
      expect(response.body.results).toEqual([
        { input: a, e164: a, outcome: 'added' },
        { input: b, e164: b, outcome: 'added' },
        { input: c, e164: c, outcome: 'added' },
        { input: `${d} ext. 12`, outcome: 'invalid', reason: expect.stringContaining('extension (12)') },
        { input: 'hello', outcome: 'invalid', reason: 'no phone number found' },
      ]);
      expect(response.body.summary).toEqual({ added: 3, 'already-present': 0, 'owned-elsewhere': 0, invalid: 2 });
      expect(await listedNumbers(customerId)).toEqual([a, b, c]);
    });

    it('adds an array of texts, normalising each to E.164', async () => {
      const customerId = await createCustomer(t);
      const [a, b, c] = fresh(3);
      const national = (e164: string) => e164.slice(2); // 10 digits, read as US
      const formatted = (e164: string) => `+1 (${e164.slice(2, 5)}) ${e164.slice(5, 8)}-${e164.slice(8)}`;
      const response = await add(customerId, [national(a!), formatted(b!), `tel:${c}`, '123']);
      expect(response.status).toBe(200);
      expect(response.body.results).toEqual([
        { input: national(a!), e164: a, outcome: 'added' },
        { input: formatted(b!), e164: b, outcome: 'added' },
        { input: c, e164: c, outcome: 'added' },
        { input: '123', outcome: 'invalid', reason: 'too short to be a phone number' },
      ]);
      expect(response.body.summary).toEqual({ added: 3, 'already-present': 0, 'owned-elsewhere': 0, invalid: 1 });
    });

    it('accepts numbers of other countries written with +', async () => {
      const customerId = await createCustomer(t);
      const response = await add(customerId, '+44 20 7946 0958');
      expect(response.status).toBe(200);
      expect(response.body.results).toEqual([{ input: '+44 20 7946 0958', e164: '+442079460958', outcome: 'added' }]);
      expect(await listedNumbers(customerId)).toEqual(['+442079460958']);
    });

    it('gives new numbers the pending status and who added them', async () => {
      const customerId = await createCustomer(t);
      const [a] = fresh(1);
      const before = Date.now();
      expect((await add(customerId, a)).status).toBe(200);
      const response = await list(customerId);
      expect(response.status).toBe(200);
      expect(response.body.items).toEqual([
        {
          e164: a,
          status: 'pending',
          statusText: 'Added, waiting for sync',
          addedAt: expect.any(String),
          addedBy: { tid: PARTNER_A.tenantId, oid: 'user-1', name: 'Test User' },
          syncedAt: null,
        },
      ]);
      expect(Date.parse(response.body.items[0].addedAt)).toBeGreaterThanOrEqual(before - 1000);
      const customer = await details(customerId);
      expect(customer.numberCounts).toEqual({ pending: 1, synced: 0, backend_fatal: 0, not_in_backend: 0 });
    });

    it('is idempotent: adding the same numbers again reports already-present', async () => {
      const customerId = await createCustomer(t);
      const [a, b] = fresh(2);
      expect((await add(customerId, [a, b])).body.summary.added).toBe(2);
      const again = await add(customerId, `${a}\n${b}`);
      expect(again.status).toBe(200);
      expect(again.body.results).toEqual([
        { input: a, e164: a, outcome: 'already-present', reason: 'already on this customer' },
        { input: b, e164: b, outcome: 'already-present', reason: 'already on this customer' },
      ]);
      expect(again.body.summary).toEqual({ added: 0, 'already-present': 2, 'owned-elsewhere': 0, invalid: 0 });
      expect(await listedNumbers(customerId)).toEqual([a, b]);
      expect((await details(customerId)).numberCount).toBe(2);
    });

    it('adds a number listed twice in one request once', async () => {
      const customerId = await createCustomer(t);
      const [a] = fresh(1);
      const national = a!.slice(2);
      const response = await add(customerId, `${a}\n${national}`);
      expect(response.status).toBe(200);
      expect(response.body.results).toEqual([
        { input: a, e164: a, outcome: 'added' },
        { input: national, e164: a, outcome: 'already-present', reason: 'listed more than once' },
      ]);
      expect(response.body.summary).toEqual({ added: 1, 'already-present': 1, 'owned-elsewhere': 0, invalid: 0 });
      expect((await details(customerId)).numberCount).toBe(1);
      expect(await listedNumbers(customerId)).toEqual([a]);
    });

    it('refuses numbers held by another customer, of this partner or another, without naming the holder', async () => {
      const siblingName = 'Sibling Holdings';
      const siblingAccount = 'sibling-acct-4711';
      const rivalName = 'Rival Telecom Customer';
      const rivalAccount = 'rival-acct-0815';
      const sibling = await createCustomer(t, { name: siblingName, accountId: siblingAccount });
      const rival = await createCustomer(t, { name: rivalName, accountId: rivalAccount }, tokenB);
      const customerId = await createCustomer(t);
      const [mine, ofSibling, ofRival] = fresh(3);
      expect((await add(sibling, ofSibling)).body.summary.added).toBe(1);
      expect((await add(rival, ofRival, tokenB)).body.summary.added).toBe(1);

      const response = await add(customerId, [mine, ofSibling, ofRival]);
      expect(response.status).toBe(200);
      expect(response.body.results).toEqual([
        { input: mine, e164: mine, outcome: 'added' },
        { input: ofSibling, e164: ofSibling, outcome: 'owned-elsewhere', reason: expect.any(String) },
        { input: ofRival, e164: ofRival, outcome: 'owned-elsewhere', reason: expect.any(String) },
      ]);
      expect(response.body.summary).toEqual({ added: 1, 'already-present': 0, 'owned-elsewhere': 2, invalid: 0 });
      for (const result of (response.body.results as AddResult[]).slice(1)) {
        const reason = result.reason!.toLowerCase();
        expect(reason.length).toBeGreaterThan(0);
        for (const secret of [siblingName, siblingAccount, sibling, rivalName, rivalAccount, rival]) {
          expect(reason).not.toContain(secret.toLowerCase());
        }
        expect(reason).not.toContain(PARTNER_B.name.toLowerCase());
        expect(reason).not.toContain(PARTNER_B.tenantId.toLowerCase());
      }
      // Nothing else in the answer names the holders either.
      const whole = JSON.stringify(response.body);
      for (const secret of [siblingName, siblingAccount, sibling, rivalName, rivalAccount, rival, PARTNER_B.name]) {
        expect(whole).not.toContain(secret);
      }
      // The holders keep their numbers.
      expect(await listedNumbers(sibling)).toEqual([ofSibling]);
      expect((await list(rival, '', tokenB)).body.items.map((n: { e164: string }) => n.e164)).toEqual([ofRival]);
      expect(await listedNumbers(customerId)).toEqual([mine]);
      expect((await details(customerId)).numberCount).toBe(1);
    });

    it('makes customer numberCount follow adds and removals', async () => {
      const customerId = await createCustomer(t);
      expect((await details(customerId)).numberCount).toBe(0);
      const [a, b, c] = fresh(3);
      await add(customerId, [a, b]);
      expect((await details(customerId)).numberCount).toBe(2);
      await add(customerId, [b, c]);
      expect((await details(customerId)).numberCount).toBe(3);
      await remove(customerId, [a], 'retain');
      expect((await details(customerId)).numberCount).toBe(2);
      await remove(customerId, [b, c], 'delete');
      expect((await details(customerId)).numberCount).toBe(0);
      expect((await details(customerId)).pendingRemovals).toBe(3);
    });

    describe('body validation', () => {
      let customerId: string;
      beforeAll(async () => {
        customerId = await createCustomer(t);
      });

      it('refuses a body without numbers', async () => {
        const response = await t.request('POST', numbersPath(customerId), { body: {} });
        expectInvalidRequest(response, 'numbers');
      });

      it('refuses numbers given as a number', async () => {
        expectInvalidRequest(await add(customerId, 12125550100), 'numbers');
      });

      it('refuses an unknown field, naming it', async () => {
        const response = await t.request('POST', numbersPath(customerId), {
          body: { numbers: fresh(1)[0], colour: 'blue' },
        });
        expectInvalidRequest(response, 'colour');
        expect(await listedNumbers(customerId)).toEqual([]);
      });

      it.each([[''], ['   \n ,; '], [[]], [['', ' ']]])('refuses empty text %j, naming numbers', async (numbers) => {
        expectInvalidRequest(await add(customerId, numbers), 'numbers');
      });

      it('refuses a list holding something other than text', async () => {
        expectInvalidRequest(await add(customerId, [fresh(1)[0], 5]), 'numbers');
        expect(await listedNumbers(customerId)).toEqual([]);
      });
    });

    describe('MAX_NUMBERS_PER_REQUEST', () => {
      let small: TestApp;
      beforeAll(async () => {
        small = await startTestApp({ settings: { MAX_NUMBERS_PER_REQUEST: '3' } });
      });
      afterAll(() => small.close());

      it('refuses more entries than the limit, naming numbers, and adds nothing', async () => {
        const customerId = await createCustomer(small);
        const response = await small.request('POST', numbersPath(customerId), {
          body: { numbers: fresh(4).join('\n') },
        });
        expect(response.status).toBe(400);
        expect(response.body.error.details).toEqual([
          { field: 'numbers', message: expect.stringContaining('at most 3 numbers') },
        ]);
        const listed = await small.request('GET', numbersPath(customerId));
        expect(listed.body.total).toBe(0);
      });

      it('accepts exactly the limit', async () => {
        const customerId = await createCustomer(small);
        const response = await small.request('POST', numbersPath(customerId), { body: { numbers: fresh(3) } });
        expect(response.status).toBe(200);
        expect(response.body.summary.added).toBe(3);
      });
    });

    it('adds a few hundred numbers in one request and lists them all', async () => {
      const customerId = await createCustomer(t);
      const numbers = fresh(300, '646');
      const response = await add(customerId, numbers.join('\n'));
      expect(response.status).toBe(200);
      expect(response.body.summary).toEqual({ added: 300, 'already-present': 0, 'owned-elsewhere': 0, invalid: 0 });
      const first = await list(customerId, '?pageSize=200');
      const second = await list(customerId, '?pageSize=200&page=2');
      expect(first.body.total).toBe(300);
      expect(second.body.total).toBe(300);
      expect(first.body.items).toHaveLength(200);
      expect(second.body.items).toHaveLength(100);
      const listed = [...first.body.items, ...second.body.items].map((n: { e164: string }) => n.e164);
      expect(listed).toEqual([...numbers].sort());
      expect((await details(customerId)).numberCount).toBe(300);
    });
  });

  describe('GET /api/v1/customers/{id}/numbers', () => {
    let customerId: string;
    let ny: string[];
    let la: string[];
    beforeAll(async () => {
      customerId = await createCustomer(t);
      ny = fresh(5, '212');
      la = fresh(3, '310');
      const response = await add(customerId, [...ny, ...la]);
      expect(response.body.summary.added).toBe(8);
    });

    it('lists the numbers sorted, with paging facts', async () => {
      const response = await list(customerId);
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ total: 8, page: 1, pageSize: 25 });
      expect(response.body.items.map((n: { e164: string }) => n.e164)).toEqual([...ny, ...la].sort());
    });

    it('pages with page and pageSize', async () => {
      const all = [...ny, ...la].sort();
      const pages = [];
      for (const page of [1, 2, 3]) {
        const response = await list(customerId, `?page=${page}&pageSize=3`);
        expect(response.status).toBe(200);
        expect(response.body).toMatchObject({ total: 8, page, pageSize: 3 });
        pages.push(response.body.items.map((n: { e164: string }) => n.e164));
      }
      expect(pages).toEqual([all.slice(0, 3), all.slice(3, 6), all.slice(6, 8)]);
      const beyond = await list(customerId, '?page=4&pageSize=3');
      expect(beyond.body).toMatchObject({ items: [], total: 8, page: 4 });
    });

    it('filters by status', async () => {
      const pending = await list(customerId, '?status=pending');
      expect(pending.status).toBe(200);
      expect(pending.body.total).toBe(8);
      const synced = await list(customerId, '?status=synced');
      expect(synced.status).toBe(200);
      expect(synced.body).toMatchObject({ items: [], total: 0 });
    });

    it.each([
      ['212 555', 'ny'],
      ['+1212', 'ny'],
      ['(310) 555', 'la'],
      ['310-555', 'la'],
    ] as const)('searches digits: %s', async (search, which) => {
      const response = await list(customerId, `?search=${encodeURIComponent(search)}`);
      expect(response.status).toBe(200);
      const expected = which === 'ny' ? ny : la;
      expect(response.body.total).toBe(expected.length);
      expect(response.body.items.map((n: { e164: string }) => n.e164)).toEqual([...expected].sort());
    });

    it('searches for one number by its last digits', async () => {
      const one = la[1]!;
      const response = await list(customerId, `?search=${one.slice(-7)}`);
      expect(response.body.items.map((n: { e164: string }) => n.e164)).toEqual([one]);
    });

    it('finds nothing for digits no number holds', async () => {
      const response = await list(customerId, '?search=999999');
      expect(response.body).toMatchObject({ items: [], total: 0 });
    });

    it.each([
      ['?status=lost', 'status'],
      ['?pageSize=0', 'pageSize'],
      ['?pageSize=500', 'pageSize'],
      ['?page=0', 'page'],
      ['?page=two', 'page'],
    ])('refuses %s naming %s', async (query, field) => {
      expectInvalidRequest(await list(customerId, query), field);
    });
  });

  describe('POST /api/v1/customers/{id}/numbers/remove', () => {
    it.each(['delete', 'retain'] as const)('removes with mode %s: gone from the list at once, pending removal', async (mode) => {
      const customerId = await createCustomer(t);
      const [a, b, c] = fresh(3);
      await add(customerId, [a, b, c]);
      const response = await remove(customerId, [a, b!.slice(2)], mode);
      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        mode,
        results: [
          { input: a, e164: a, outcome: 'removed' },
          { input: b!.slice(2), e164: b, outcome: 'removed' },
        ],
        summary: { removed: 2, 'not-found': 0, invalid: 0 },
        // REMOVAL_CLEANUP is next-sync in this file: no run starts.
        syncRun: null,
      });
      expect(await listedNumbers(customerId)).toEqual([c]);
      expect((await list(customerId)).body.total).toBe(1);
      const customer = await details(customerId);
      expect(customer.pendingRemovals).toBe(2);
      expect(customer.numberCount).toBe(1);
      expect(customer.numberCounts.pending).toBe(1);
    });

    it('reports a number not on the customer as not-found', async () => {
      const customerId = await createCustomer(t);
      const other = await createCustomer(t);
      const [mine, theirs, nobodys] = fresh(3);
      await add(customerId, mine);
      await add(other, theirs);
      const response = await remove(customerId, [mine, theirs, nobodys], 'delete');
      expect(response.status).toBe(200);
      expect(response.body.results).toEqual([
        { input: mine, e164: mine, outcome: 'removed' },
        { input: theirs, e164: theirs, outcome: 'not-found', reason: 'not on this customer' },
        { input: nobodys, e164: nobodys, outcome: 'not-found', reason: 'not on this customer' },
      ]);
      expect(response.body.summary).toEqual({ removed: 1, 'not-found': 2, invalid: 0 });
      // The other customer's number is untouched.
      expect(await listedNumbers(other)).toEqual([theirs]);
      expect((await details(other)).pendingRemovals).toBe(0);
    });

    it('reports a number already removed as not-found', async () => {
      const customerId = await createCustomer(t);
      const [a] = fresh(1);
      await add(customerId, a);
      expect((await remove(customerId, [a], 'retain')).body.summary.removed).toBe(1);
      const again = await remove(customerId, [a], 'retain');
      expect(again.body.results).toEqual([{ input: a, e164: a, outcome: 'not-found', reason: 'not on this customer' }]);
      expect((await details(customerId)).numberCount).toBe(0);
    });

    it('reports input that is not one valid number as invalid', async () => {
      const customerId = await createCustomer(t);
      const [a, b] = fresh(2);
      await add(customerId, [a, b]);
      const response = await remove(customerId, ['123', 'hello', `${a} ${b}`, `${a} ext. 5`], 'delete');
      expect(response.status).toBe(200);
      expect(response.body.results).toEqual([
        { input: '123', outcome: 'invalid', reason: 'too short to be a phone number' },
        { input: 'hello', outcome: 'invalid', reason: 'no phone number found' },
        { input: `${a} ${b}`, outcome: 'invalid', reason: 'holds more than one number' },
        { input: `${a} ext. 5`, outcome: 'invalid', reason: expect.stringContaining('extension') },
      ]);
      expect(response.body.summary).toEqual({ removed: 0, 'not-found': 0, invalid: 4 });
      expect(await listedNumbers(customerId)).toEqual([a, b]);
      expect((await details(customerId)).pendingRemovals).toBe(0);
    });

    it.each([
      [{ numbers: ['+12125550100'] }],
      [{ numbers: ['+12125550100'], mode: 'destroy' }],
      [{ numbers: ['+12125550100'], mode: '' }],
      [{ numbers: ['+12125550100'], mode: true }],
    ])('refuses a missing or bad mode, naming mode: %j', async (body) => {
      const customerId = await createCustomer(t);
      const response = await t.request('POST', `${numbersPath(customerId)}/remove`, { body });
      expectInvalidRequest(response, 'mode');
    });

    it('refuses an empty list, naming numbers', async () => {
      const customerId = await createCustomer(t);
      expectInvalidRequest(await remove(customerId, [], 'delete'), 'numbers');
    });

    it('refuses numbers that are not a list, naming numbers', async () => {
      const customerId = await createCustomer(t);
      expectInvalidRequest(await remove(customerId, '+12125550100', 'delete'), 'numbers');
    });

    it('re-adding a removed number to the same customer cancels the removal', async () => {
      const customerId = await createCustomer(t);
      const [a, b] = fresh(2);
      await add(customerId, [a, b]);
      await remove(customerId, [a], 'delete');
      expect((await details(customerId)).pendingRemovals).toBe(1);

      const response = await add(customerId, a);
      expect(response.status).toBe(200);
      expect(response.body.results).toEqual([{ input: a, e164: a, outcome: 'added' }]);
      expect(response.body.summary.added).toBe(1);
      expect(await listedNumbers(customerId)).toEqual([a, b]);
      const customer = await details(customerId);
      expect(customer.pendingRemovals).toBe(0);
      expect(customer.numberCount).toBe(2);
    });

    it('refuses a number whose removal is pending on another customer as owned-elsewhere', async () => {
      const holderName = 'Departing Customer Ltd';
      const holder = await createCustomer(t, { name: holderName, accountId: 'departing-4242' });
      const customerId = await createCustomer(t);
      const [a] = fresh(1);
      await add(holder, a);
      await remove(holder, [a], 'delete');

      const response = await add(customerId, a);
      expect(response.status).toBe(200);
      expect(response.body.results).toEqual([
        { input: a, e164: a, outcome: 'owned-elsewhere', reason: expect.any(String) },
      ]);
      const reason = response.body.results[0].reason as string;
      expect(reason).not.toContain(holderName);
      expect(reason).not.toContain('departing-4242');
      expect(reason).not.toContain(holder);
      expect(await listedNumbers(customerId)).toEqual([]);
      expect((await details(customerId)).numberCount).toBe(0);
      expect((await details(holder)).pendingRemovals).toBe(1);
    });
  });

  describe('isolation', () => {
    let customerId: string;
    let number: string;
    beforeAll(async () => {
      customerId = await createCustomer(t);
      [number] = fresh(1) as [string];
      await add(customerId, number);
    });

    it("answers 404 to partner B on every numbers route of partner A's customer", async () => {
      const listed = await list(customerId, '', tokenB);
      expect(listed.status).toBe(404);
      expect(listed.body.error.code).toBe('not_found');

      const [other] = fresh(1);
      const added = await add(customerId, other, tokenB);
      expect(added.status).toBe(404);
      expect(added.body.error.code).toBe('not_found');

      const removed = await remove(customerId, [number], 'delete', tokenB);
      expect(removed.status).toBe(404);
      expect(removed.body.error.code).toBe('not_found');

      // Nothing changed for partner A.
      expect(await listedNumbers(customerId)).toEqual([number]);
      const customer = await details(customerId);
      expect(customer.numberCount).toBe(1);
      expect(customer.pendingRemovals).toBe(0);
    });

    it.each(['not-an-id', '123', 'ffffffffffffffffffffffff'])('answers 404 for customer id %s', async (id) => {
      expect((await list(id)).status).toBe(404);
      expect((await add(id, fresh(1))).status).toBe(404);
      expect((await remove(id, [number], 'retain')).status).toBe(404);
    });

    it('needs a signed-in partner', async () => {
      expect((await t.request('GET', numbersPath(customerId), { token: null })).status).toBe(401);
      expect((await t.request('POST', numbersPath(customerId), { token: null, body: { numbers: [number] } })).status).toBe(401);
    });
  });

  describe('audit trail', () => {
    it('records numbers.added and numbers.removed with the actor, count and numbers', async () => {
      const customerId = await createCustomer(t);
      const token = await t.tokenAs('operator', 'number-clerk-7');
      const [a, b, c] = fresh(3);
      expect((await add(customerId, [a, b, c, 'junk'], token)).body.summary.added).toBe(3);
      // Nothing added: no entry.
      expect((await add(customerId, [a], token)).body.summary.added).toBe(0);
      expect((await remove(customerId, [b, c], 'retain', token)).body.summary.removed).toBe(2);
      // Nothing removed: no entry.
      expect((await remove(customerId, [b], 'retain', token)).body.summary.removed).toBe(0);

      const response = await t.request('GET', `/api/v1/audit?customerId=${customerId}`);
      expect(response.status).toBe(200);
      expect(response.body.total).toBe(3);
      const [removed, added, created] = response.body.items;
      expect(created).toMatchObject({ action: 'customer.created', customerId });
      expect(added).toMatchObject({
        action: 'numbers.added',
        customerId,
        actor: { tid: PARTNER_A.tenantId, oid: 'number-clerk-7' },
        details: { count: 3 },
      });
      expect([...added.details.numbers].sort()).toEqual([a, b, c]);
      expect(removed).toMatchObject({
        action: 'numbers.removed',
        customerId,
        actor: { tid: PARTNER_A.tenantId, oid: 'number-clerk-7' },
        details: { mode: 'retain', count: 2 },
      });
      expect([...removed.details.numbers].sort()).toEqual([b, c]);
    });

    it("does not show partner A's audit to partner B", async () => {
      const customerId = await createCustomer(t);
      const [a] = fresh(1);
      await add(customerId, a);
      await remove(customerId, [a], 'delete');

      const narrowed = await t.request('GET', `/api/v1/audit?customerId=${customerId}`, { token: tokenB });
      expect(narrowed.status).toBe(404);
      expect(narrowed.body.error.code).toBe('not_found');

      const everything = await t.request('GET', '/api/v1/audit?pageSize=200', { token: tokenB });
      expect(everything.status).toBe(200);
      const items = everything.body.items as { customerId: string | null; actor: { tid: string }; details: unknown }[];
      expect(items.length).toBe(everything.body.total);
      for (const item of items.filter((entry) => entry.actor.tid !== 'carrier')) {
        expect(item.customerId).not.toBe(customerId);
        expect(item.actor.tid).toBe(PARTNER_B.tenantId);
        expect(JSON.stringify(item.details)).not.toContain(a);
      }
    });
  });
  describe('the number count under concurrent requests', () => {
    it('equals the numbers listed after parallel re-adds of a removed number and parallel adds', async () => {
      const customerId = await createCustomer(t);
      const numbers = fresh(5, '332');
      await add(customerId, numbers.join('\n'));
      await remove(customerId, [numbers[0]]);
      const extra = fresh(3, '332');
      await Promise.all([
        ...Array.from({ length: 6 }, () => add(customerId, numbers[0])),
        ...Array.from({ length: 3 }, () => add(customerId, extra.join('\n'))),
      ]);
      const listed = await listedNumbers(customerId);
      expect(listed.sort()).toEqual([...numbers, ...extra].sort());
      expect((await details(customerId)).numberCount).toBe(listed.length);
    });
  });

  describe('request limits', () => {
    let small: TestApp;
    beforeAll(async () => {
      small = await startTestApp({ settings: { MAX_NUMBERS_PER_REQUEST: 3 } });
    });
    afterAll(() => small.close());

    it('refuses a paste of more pieces than allowed before reading them', async () => {
      const customerId = await createCustomer(small);
      const response = await small.request('POST', `/api/v1/customers/${customerId}/numbers`, {
        body: { numbers: '1,2,3,4,5' },
      });
      expectInvalidRequest(response, 'numbers');
      expect(response.body.error.details[0].message).toContain('at most 3');
    });

    it('refuses to remove more numbers than allowed at once', async () => {
      const customerId = await createCustomer(small);
      const response = await small.request('POST', `/api/v1/customers/${customerId}/numbers/remove`, {
        body: { numbers: fresh(4, '929'), mode: 'retain' },
      });
      expectInvalidRequest(response, 'numbers');
    });

    it('reports an overlong piece without echoing all of it', async () => {
      const customerId = await createCustomer(small);
      const response = await small.request('POST', `/api/v1/customers/${customerId}/numbers`, {
        body: { numbers: 'x'.repeat(5000) },
      });
      expect(response.status).toBe(200);
      expect(response.body.results).toEqual([
        { input: expect.stringMatching(/^x{40}\.\.\.$/), outcome: 'invalid', reason: expect.stringContaining('5000 characters') },
      ]);
    });
  });
});
