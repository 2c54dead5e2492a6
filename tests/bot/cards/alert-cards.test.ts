import type { AlertNotice } from '../../../api/alerts/alert-notice';
import { customerPortalLink } from '../../../api/alerts/portal-link';
import { ALERT_SYNC_VERB, alertCard } from '../../../bot/cards/alert-cards';
import { FAILURES_COUNTED } from '../../../api/sync/failure-streak';
import { expectAdaptiveCard15 } from '../../support/bot-conversation';

const link = customerPortalLink('app-id')('c1')!;

const DRIFT: AlertNotice = {
  kind: 'drift.found',
  customerId: 'c1',
  customerLabel: 'Contoso Ltd',
  at: '2026-03-01T09:00:00.000Z',
  counts: { missing_at_backend: 2, not_in_portal: 1, assigned_not_synced: 0, synced_not_assigned: 4 },
  total: 7,
  examples: [
    { kind: 'missing_at_backend', e164: '+12125550100' },
    { kind: 'synced_not_assigned', e164: '+12125550150' },
  ],
  portalLink: link,
};

const FAILED: AlertNotice & { kind: 'sync.failed' } = {
  kind: 'sync.failed',
  customerId: 'c1',
  customerLabel: 'Contoso Ltd',
  at: '2026-03-01T09:00:00.000Z',
  runId: 'r1',
  message: 'The backend did not answer (timed out after 10 s)',
  consecutiveFailures: 3,
};

type CardJson = { body: unknown[]; actions?: { type: string; title: string; url?: string; verb?: string; data?: unknown }[] };
const json = (notice: AlertNotice) => alertCard(notice).content as CardJson;

describe('alert cards', () => {
  it('drift: the customer, counts by kind (none for a kind without drift), a few numbers, the two buttons', () => {
    const card = alertCard(DRIFT);
    expectAdaptiveCard15(card);
    const text = JSON.stringify(card.content);
    expect(text).toContain('Drift at Contoso Ltd: 7 numbers');
    expect(text).toContain('In the portal, missing at the backend');
    expect(text).toContain('Synced, not assigned in Teams');
    expect(text).not.toContain('Assigned in Teams, not synced');
    expect(text).toContain('+12125550150');
    expect(json(DRIFT).actions).toEqual([
      { type: 'Action.OpenUrl', title: 'Open in the portal', url: link },
      expect.objectContaining({ type: 'Action.Execute', title: 'Sync now', verb: ALERT_SYNC_VERB, data: { customerId: 'c1', customerLabel: 'Contoso Ltd', notice: DRIFT } }),
    ]);
  });

  it('opens the customer\'s Details in the portal tab through a Teams deep link naming it', () => {
    const url = new URL(link);
    expect(`${url.origin}${url.pathname}`).toBe('https://teams.microsoft.com/l/entity/app-id/partner-portal');
    expect(JSON.parse(url.searchParams.get('context')!)).toEqual({ subEntityId: 'customer:c1' });
    expect(customerPortalLink(undefined)('c1')).toBeUndefined();
  });

  it('a failed sync: the error and how many failed in a row; no link without the Teams app id', () => {
    const notice = FAILED;
    const card = alertCard(notice);
    expectAdaptiveCard15(card);
    const text = JSON.stringify(card.content);
    expect(text).toContain('Sync of Contoso Ltd failed');
    expect(text).toContain('The backend did not answer (timed out after 10 s)');
    expect(text).toContain('3 failed syncs in a row.');
    expect(json(notice).actions!.map((a) => a.title)).toEqual(['Sync now']);
  });

  it('a finished job: what it was and its outcomes; no Sync now without a customer', () => {
    const notice: AlertNotice = {
      kind: 'job.finished',
      at: '2026-03-01T09:00:00.000Z',
      jobId: 'j1',
      jobKind: 'customers.import',
      state: 'done',
      fileName: 'customers.csv',
      total: 12,
      outcomes: { created: 10, invalid: 2 },
    };
    const card = alertCard(notice);
    expectAdaptiveCard15(card);
    const text = JSON.stringify(card.content);
    expect(text).toContain('Import customers from customers.csv: done');
    expect(text).toContain('10 created, 2 not valid');
    expect(json(notice).actions).toBeUndefined();
  });

  it('once Sync now is pressed, still tells what it told, and who pressed it (and why nothing synced, if so)', () => {
    const card = alertCard(DRIFT, { by: 'Ann Lee', at: '2026-03-01T09:05:00.000Z' });
    expectAdaptiveCard15(card);
    const text = JSON.stringify(card.content);
    expect(text).toContain('Drift at Contoso Ltd: 7 numbers');
    expect(text).toContain('+12125550150');
    expect(text).toContain('Sync now pressed by Ann Lee, {{DATE(2026-03-01T09:05:00Z, SHORT)}} {{TIME(2026-03-01T09:05:00Z)}}: the answer follows.');
    const refused = JSON.stringify(alertCard(DRIFT, { by: 'Vic', at: '2026-03-01T09:05:00.000Z', refused: 'This needs the Operator role.' }).content);
    expect(refused).toContain('Drift at Contoso Ltd: 7 numbers');
    expect(refused).toContain(': This needs the Operator role.');
  });

  it('says "or more" once the failures in a row reach what is counted', () => {
    const notice: AlertNotice = { ...FAILED, consecutiveFailures: FAILURES_COUNTED };
    expect(JSON.stringify(alertCard(notice).content)).toContain(`${FAILURES_COUNTED} failed syncs or more in a row.`);
  });
});
