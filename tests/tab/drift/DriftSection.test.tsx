import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ApiError } from '../../../tab/src/api/portal-api';
import { DriftSection } from '../../../tab/src/drift/DriftSection';
import { driftView } from '../../support/views';
import { fakeApi, renderInFluent } from '../support/render';

const AT = '2026-03-01T10:00:00.000Z';

function setup(view = driftView()) {
  const api = fakeApi();
  api.getCustomerDrift.mockResolvedValue(view);
  const rendered = renderInFluent(<DriftSection api={api} customerId="c1" reload={0} />);
  return { api, ...rendered };
}

describe('the Drift section of Details', () => {
  it('says nothing was compared before a sync succeeded', async () => {
    const { api } = setup();
    expect(await screen.findByText(/Not compared yet/)).toBeInTheDocument();
    expect(api.getCustomerDrift).toHaveBeenCalledWith('c1');
  });

  it('says the sides agree when there is no drift, naming Teams only when it was compared', async () => {
    setup(driftView({ computedAt: AT, runId: 'r1', teams: { checked: true, reason: null } }));
    expect(await screen.findByText('No drift')).toBeInTheDocument();
    expect(screen.getByText(/The portal, the backend and Teams agreed/)).toBeInTheDocument();
  });

  it('lists the counts by kind and each drifted number with why, and says why Teams was not compared', async () => {
    setup(
      driftView({
        computedAt: AT,
        runId: 'r1',
        counts: { missing_at_backend: 1, not_in_portal: 2, assigned_not_synced: 0, synced_not_assigned: 0 },
        total: 3,
        items: [
          { e164: '+12125550104', kind: 'missing_at_backend', detail: 'Needs to be added to portal (not in backend)' },
          { e164: '+12125550200', kind: 'not_in_portal', detail: 'its removal from the portal is still pending; the next sync retries' },
          { e164: '+12125550201', kind: 'not_in_portal', detail: 'on a non-Teams callflow, a desk phone' },
        ],
        teams: { checked: false, reason: 'The customer has not allowed co-management: Teams assignments were not compared' },
        needsAttention: true,
      }),
    );
    expect(await screen.findByText('3 numbers')).toBeInTheDocument();
    const byKind = screen.getByRole('table', { name: 'Drift by kind' });
    const kindRows = within(byKind).getAllByRole('row').slice(1).map((row) => row.textContent);
    expect(kindRows).toEqual(['In the portal, missing at the backend1', 'At the backend, not in the portal2']);
    const numbers = screen.getByRole('table', { name: 'Drifted numbers' });
    const row = within(numbers).getByText('+12125550201').closest('tr')!;
    expect(within(row).getByText('At the backend, not in the portal')).toBeInTheDocument();
    expect(within(row).getByText('on a non-Teams callflow, a desk phone')).toBeInTheDocument();
    expect(screen.getByText(/has not allowed co-management/)).toBeInTheDocument();
    expect(screen.queryByText(/the counts above are complete/)).not.toBeInTheDocument();
  });

  it('says when the list is the first part only', async () => {
    setup(
      driftView({
        computedAt: AT,
        counts: { missing_at_backend: 500, not_in_portal: 0, assigned_not_synced: 0, synced_not_assigned: 0 },
        total: 500,
        items: [{ e164: '+12125550104', kind: 'missing_at_backend', detail: 'x' }],
        itemsTruncated: true,
        needsAttention: true,
      }),
    );
    expect(await screen.findByText('The first 1 of 500 entries are listed; the counts above are complete.')).toBeInTheDocument();
  });

  it('shows a sync that keeps failing, with its last message', async () => {
    setup(
      driftView({
        consecutiveFailures: 3,
        lastFailure: { runId: 'r9', message: 'The sync stopped: the backend answered 503.', at: AT },
        needsAttention: true,
      }),
    );
    expect(await screen.findByText('3 failed syncs in a row')).toBeInTheDocument();
    expect(screen.getByText(/the backend answered 503/)).toBeInTheDocument();
  });

  it('offers Try again when the report cannot be read', async () => {
    const user = userEvent.setup();
    const api = fakeApi();
    api.getCustomerDrift.mockRejectedValueOnce(new ApiError(503, 'unavailable', 'The service is unavailable')).mockResolvedValueOnce(driftView({ computedAt: AT }));
    renderInFluent(<DriftSection api={api} customerId="c1" reload={0} />);
    await user.click(await screen.findByRole('button', { name: 'Try again' }));
    expect(await screen.findByText('No drift')).toBeInTheDocument();
    expect(api.getCustomerDrift).toHaveBeenCalledTimes(2);
  });
});
