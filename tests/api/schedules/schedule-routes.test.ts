import { createCustomer, PARTNER_B, startTestApp, type TestApp } from '../../support/test-app';

describe('schedule routes', () => {
  let t: TestApp;
  let customerId: string;
  beforeAll(async () => {
    t = await startTestApp();
    customerId = await createCustomer(t, { name: 'Scheduled Ltd' });
  });
  afterAll(() => t.close());

  it('answers off, following the partner default, before anything is set', async () => {
    const response = await t.request('GET', `/api/v1/customers/${customerId}/schedule`);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ schedule: { kind: 'off' }, source: 'default', partnerDefault: { kind: 'off' }, nextRunAt: null, lastSlot: null });
  });

  it('sets a daily schedule in a time zone and answers its next run time; the change is audited', async () => {
    const before = Date.now();
    const response = await t.request('PUT', `/api/v1/customers/${customerId}/schedule`, { body: { kind: 'daily', time: '02:30', timeZone: 'America/New_York' } });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ schedule: { kind: 'daily', time: '02:30', timeZone: 'America/New_York' }, source: 'customer' });
    const next = new Date(response.body.nextRunAt);
    expect(next.getTime()).toBeGreaterThan(before);
    expect(next.getTime() - before).toBeLessThanOrEqual(25 * 3600_000);
    expect(new Intl.DateTimeFormat('en-GB', { timeZone: 'America/New_York', hour: '2-digit', minute: '2-digit' }).format(next)).toBe('02:30');
    const audit = await t.request('GET', `/api/v1/audit?customerId=${customerId}`);
    expect(JSON.stringify(audit.body)).toContain('customer.schedule_changed');
  });

  it('follows the partner default again with kind default; the default is set by an admin', async () => {
    const set = await t.request('PUT', '/api/v1/schedule', { body: { kind: 'hourly', minute: 5 } });
    expect(set.status).toBe(200);
    expect(new Date(set.body.nextRunAt).getUTCMinutes()).toBe(5);
    const back = await t.request('PUT', `/api/v1/customers/${customerId}/schedule`, { body: { kind: 'default' } });
    expect(back.body).toMatchObject({ schedule: { kind: 'hourly', minute: 5 }, source: 'default', nextRunAt: set.body.nextRunAt });
    const operator = await t.tokenAs('operator', 'op-1');
    expect((await t.request('PUT', '/api/v1/schedule', { token: operator, body: { kind: 'off' } })).status).toBe(403);
  });

  it.each([
    [{ kind: 'weekly' }, 'kind must be default, off, hourly, daily or cron'],
    [{ kind: 'daily', time: '25:00', timeZone: 'Europe/Berlin' }, 'time must be HH:MM'],
    [{ kind: 'daily', time: '02:00', timeZone: 'Mars/Olympus' }, 'timeZone must be an IANA time zone'],
    [{ kind: 'cron', expression: '*/5 * * * *', timeZone: 'UTC' }, 'at most every 15 minutes'],
    [{ kind: 'cron', expression: 'every day', timeZone: 'UTC' }, 'five fields'],
    [{ kind: 'hourly', minute: 60 }, 'minute must be a whole number from 0 to 59'],
  ])('refuses %j with a 400 that says what is wrong', async (body, message) => {
    const response = await t.request('PUT', `/api/v1/customers/${customerId}/schedule`, { body });
    expect(response.status).toBe(400);
    expect(JSON.stringify(response.body.error)).toContain(message);
  });

  it("answers 404 for another partner's customer", async () => {
    const token = await t.tokenFor(PARTNER_B.tenantId);
    expect((await t.request('GET', `/api/v1/customers/${customerId}/schedule`, { token })).status).toBe(404);
    expect((await t.request('PUT', `/api/v1/customers/${customerId}/schedule`, { token, body: { kind: 'off' } })).status).toBe(404);
  });
});
