import { act, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ApiError, type CustomerView, type SyncRunView, type SyncStart } from '../../../tab/src/api/portal-api';
import { POLL_MS, SyncDialog } from '../../../tab/src/sync/SyncDialog';
import { syncRunView } from '../../support/views';
import { QUEUED_SYNC_TEXT, WAITING_SYNC_TEXT } from '../../../api/sync/sync-texts';
import { fakeApi, renderInFluent } from '../support/render';

const FATAL = "This number cannot be sync'ed automatically (backend reports fatal)";
const NOT_IN_BACKEND = 'Needs to be added to portal (not in backend)';

const customer: CustomerView = {
  id: 'c1',
  accountId: 'acme-1',
  tenantName: 'acme.onmicrosoft.com',
  name: 'Acme',
  maxChannels: 13,
  seatType: 'unbundled',
  canManage: false,
  customerTenantId: null,
  numberCount: 10,
  lastSync: null,
  drift: null,
  createdAt: '2024-01-01T10:00:00.000Z',
  updatedAt: '2024-01-01T10:00:00.000Z',
};

const run = (overrides: Partial<SyncRunView> = {}): SyncRunView => syncRunView(overrides);

/** The answer to Sync: the run started, or (isNew false) the run queued behind the run under way `r-under-way`. */
const started = (view: SyncRunView, isNew = true): SyncStart => ({ ...view, started: isNew, queuedAfter: isNew ? null : 'r-under-way' });

/** Lets the dialog's next poll happen and its answer land. */
const tick = () => act(() => jest.advanceTimersByTimeAsync(POLL_MS));

function setup(open = true) {
  const api = fakeApi();
  const onClose = jest.fn();
  const user = userEvent.setup({ advanceTimers: jest.advanceTimersByTime });
  const view = renderInFluent(<SyncDialog api={api} customer={customer} open={open} onClose={onClose} />);
  const rerender = (nextOpen: boolean) =>
    view.rerender(<SyncDialog api={api} customer={customer} open={nextOpen} onClose={onClose} />);
  return { api, onClose, user, view, rerender };
}

beforeEach(() => jest.useFakeTimers());
afterEach(() => {
  jest.runOnlyPendingTimers();
  jest.useRealTimers();
});

describe('SyncDialog', () => {
  it('offers Preview, Sync and Close', () => {
    setup();
    const dialog = screen.getByRole('dialog', { name: 'Sync Acme' });
    expect(within(dialog).getByRole('button', { name: 'Preview' })).toBeEnabled();
    expect(within(dialog).getByRole('button', { name: 'Sync' })).toBeEnabled();
    expect(within(dialog).getByRole('button', { name: 'Close' })).toBeEnabled();
  });

  it('Preview shows what a sync would change', async () => {
    const { api, user } = setup();
    api.startSync.mockResolvedValue(started(run({ dryRun: true })));
    api.getSyncRun.mockResolvedValue(
      run({
        dryRun: true,
        state: 'succeeded',
        phase: 'done',
        changes: {
          account: { from: { maxChannels: 5, tenantName: null }, to: { maxChannels: 13, tenantName: 'acme.onmicrosoft.com' } },
          toRoute: ['+15551230001', '+15551230002'],
          toImport: ['+15551230003'],
          toRemove: [{ e164: '+15551230004', mode: 'delete' }],
          toRelease: ['+15551230004'],
          statusChanges: [{ e164: '+15551230005', from: 'pending', to: 'backend_fatal' }],
        },
        changeCounts: { routed: 14, imported: 1, removed: 1, released: 1, statusChanges: 1 },
        counts: { pending: 0, synced: 12, backend_fatal: 1, not_in_backend: 0 },
      }),
    );

    await user.click(screen.getByRole('button', { name: 'Preview' }));
    expect(api.startSync).toHaveBeenCalledWith('c1', true);
    await tick();

    const changes = await screen.findByRole('region', { name: 'Changes a sync would make' });
    expect(within(changes).getByText('Max Channels: 5 → 13')).toBeInTheDocument();
    expect(within(changes).getByText('Office 365 Tenant Name: not set → acme.onmicrosoft.com')).toBeInTheDocument();
    expect(within(changes).getByText('14 numbers to route to Teams')).toBeInTheDocument();
    expect(within(changes).getByText('+15551230001')).toBeInTheDocument();
    expect(within(changes).getByText('and 12 more')).toBeInTheDocument();
    expect(within(changes).getByText('1 number to import')).toBeInTheDocument();
    expect(within(changes).getByText('1 number to remove')).toBeInTheDocument();
    expect(within(changes).getByText('+15551230004 (delete)')).toBeInTheDocument();
    expect(within(changes).getByText('1 number to release from the backend')).toBeInTheDocument();
    expect(within(changes).getByText(`+15551230005: Added, waiting for sync → ${FATAL}`)).toBeInTheDocument();
    expect(screen.getByText(/Nothing was changed/)).toBeInTheDocument();
    // Only the preview was asked for.
    expect(api.startSync).toHaveBeenCalledTimes(1);
  });

  it('follows a run to success with a progress bar, then shows counts by status and the numbers needing attention', async () => {
    const { api, user } = setup();
    api.startSync.mockResolvedValue(started(run()));
    api.getSyncRun
      .mockResolvedValueOnce(run({ state: 'running', phase: 'reading' }))
      .mockResolvedValueOnce(run({ state: 'running', phase: 'routing', progress: { done: 2, total: 4 } }))
      .mockResolvedValueOnce(
        run({
          state: 'succeeded',
          phase: 'done',
          progress: { done: 4, total: 4 },
          counts: { pending: 0, synced: 7, backend_fatal: 1, not_in_backend: 2 },
          changeCounts: { routed: 7, imported: 0, removed: 0, released: 0, statusChanges: 3 },
          changes: {
            account: null,
            toRoute: ['+15551230001'],
            toImport: [],
            toRemove: [],
            toRelease: [],
            statusChanges: [],
          },
          attention: [
            { e164: '+15551230008', status: 'backend_fatal', statusText: FATAL, detail: 'In callflow "Front desk" (user seat)' },
            { e164: '+15551230009', status: 'not_in_backend', statusText: NOT_IN_BACKEND },
          ],
        }),
      );

    await user.click(screen.getByRole('button', { name: 'Sync' }));
    expect(api.startSync).toHaveBeenCalledWith('c1');

    // Queued: nothing counted yet, so the bar has no value.
    let bar = await screen.findByRole('progressbar', { name: /Sync in progress/ });
    expect(bar).not.toHaveAttribute('aria-valuenow');
    expect(screen.getByText(/Sync in progress: Waiting to start/)).toBeInTheDocument();
    // Disabled but still focusable, so focus does not fall out of the dialog.
    expect(screen.getByRole('button', { name: 'Sync' })).toHaveAttribute('aria-disabled', 'true');
    expect(screen.getByRole('button', { name: 'Preview' })).toHaveAttribute('aria-disabled', 'true');

    await tick();
    expect(screen.getByText(/Reading the backend's numbers/)).toBeInTheDocument();

    await tick();
    bar = screen.getByRole('progressbar', { name: /Sync in progress/ });
    expect(bar).toHaveAttribute('aria-valuenow', '0.5');
    expect(screen.getByText(/Updating the backend: account settings, removals, routing to Teams/)).toBeInTheDocument();
    expect(screen.getByText('2 of 4 steps')).toBeInTheDocument();

    await tick();
    expect(screen.getByText('The sync succeeded')).toBeInTheDocument();
    expect(screen.queryByRole('progressbar', { name: /in progress/ })).not.toBeInTheDocument();
    const counts = screen.getByRole('table', { name: 'Numbers by status' });
    expect(within(counts).getByText(FATAL).closest('tr')).toHaveTextContent('1');
    expect(within(counts).getByText(NOT_IN_BACKEND).closest('tr')).toHaveTextContent('2');
    expect(within(counts).getByText('Synced').closest('tr')).toHaveTextContent('7');

    const attention = screen.getByRole('table', { name: 'Numbers that need attention' });
    const fatalRow = within(attention).getByText('+15551230008').closest('tr');
    expect(fatalRow).toHaveTextContent(FATAL);
    expect(fatalRow).toHaveTextContent('In callflow "Front desk" (user seat)');
    expect(within(attention).getByText('+15551230009').closest('tr')).toHaveTextContent(NOT_IN_BACKEND);

    expect(screen.getByText('7 numbers routed to Teams')).toBeInTheDocument();
    expect(screen.getByText('3 numbers changed status')).toBeInTheDocument();

    // Done: no more reading.
    expect(api.getSyncRun).toHaveBeenCalledTimes(3);
    await tick();
    await tick();
    expect(api.getSyncRun).toHaveBeenCalledTimes(3);
    expect(api.getSyncRun).toHaveBeenCalledWith('r1');
    expect(screen.getByRole('button', { name: 'Sync' })).toBeEnabled();
  });

  it('shows the errors of a failed run', async () => {
    const { api, user } = setup();
    api.startSync.mockResolvedValue(started(run()));
    api.getSyncRun.mockResolvedValue(
      run({
        state: 'failed',
        phase: 'reading',
        errors: [{ message: 'The sync stopped: the backend did not answer. Nothing was lost; run the sync again.' }],
      }),
    );
    await user.click(screen.getByRole('button', { name: 'Sync' }));
    await tick();

    expect(screen.getByText('The sync failed')).toBeInTheDocument();
    const errors = screen.getByRole('region', { name: 'Errors' });
    expect(within(errors).getByText(/the backend did not answer/)).toBeInTheDocument();
    expect(screen.queryByRole('table', { name: 'Numbers by status' })).not.toBeInTheDocument();
  });

  it('says when the sync was queued behind one already running, and follows the queued run from its wait to its end', async () => {
    const { api, user } = setup();
    api.startSync.mockResolvedValue(started(run({ id: 'r-next', state: 'queued', phase: 'queued' }), false));
    api.getSyncRun
      .mockResolvedValueOnce(run({ id: 'r-next', state: 'queued', phase: 'queued' }))
      .mockResolvedValueOnce(run({ id: 'r-next', state: 'running', phase: 'routing', progress: { done: 1, total: 4 }, startedAt: '2024-03-01T10:00:05.000Z' }))
      .mockResolvedValue(run({ id: 'r-next', state: 'succeeded', phase: 'done', counts: { pending: 0, synced: 3, backend_fatal: 0, not_in_backend: 0 } }));
    await user.click(screen.getByRole('button', { name: 'Sync' }));

    expect(await screen.findByText(QUEUED_SYNC_TEXT)).toBeInTheDocument();
    expect(screen.getByRole('progressbar', { name: `Sync queued: ${WAITING_SYNC_TEXT}` })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Sync' })).toHaveAttribute('aria-disabled', 'true');
    await tick();
    expect(api.getSyncRun).toHaveBeenLastCalledWith('r-next');
    expect(screen.getByRole('progressbar', { name: `Sync queued: ${WAITING_SYNC_TEXT}` })).toBeInTheDocument();
    await tick();
    expect(screen.getByRole('progressbar', { name: /Sync in progress: Updating the backend/ })).toHaveAttribute('aria-valuenow', '0.25');
    expect(screen.getByText(QUEUED_SYNC_TEXT)).toBeInTheDocument();
    await tick();
    expect(screen.getByText('The sync succeeded')).toBeInTheDocument();
    expect(screen.queryByText(QUEUED_SYNC_TEXT)).not.toBeInTheDocument();
    expect(api.getSyncRun).toHaveBeenCalledTimes(3);
    expect(api.getSyncRun.mock.calls.every(([runId]) => runId === 'r-next')).toBe(true);
  });

  it('says what went wrong when the sync cannot start', async () => {
    const { api, user } = setup();
    api.startSync.mockRejectedValue(new ApiError(409, 'sync_busy', 'Another sync of this customer is starting; try again in a moment'));
    await user.click(screen.getByRole('button', { name: 'Sync' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Another sync of this customer is starting');
    expect(screen.getByRole('button', { name: 'Sync' })).toBeEnabled();
  });

  it('stops polling when the dialog closes', async () => {
    const { api, user, rerender, onClose } = setup();
    api.startSync.mockResolvedValue(started(run()));
    api.getSyncRun.mockResolvedValue(run({ state: 'running', phase: 'reading' }));
    await user.click(screen.getByRole('button', { name: 'Sync' }));
    await tick();
    await tick();
    expect(api.getSyncRun).toHaveBeenCalledTimes(2);

    await user.click(screen.getByRole('button', { name: 'Close' }));
    expect(onClose).toHaveBeenCalled();
    rerender(false);
    await tick();
    await tick();
    await tick();
    expect(api.getSyncRun).toHaveBeenCalledTimes(2);
  });

  it('stops polling when unmounted', async () => {
    const { api, user, view } = setup();
    api.startSync.mockResolvedValue(started(run()));
    api.getSyncRun.mockResolvedValue(run({ state: 'running', phase: 'reading' }));
    await user.click(screen.getByRole('button', { name: 'Sync' }));
    await tick();
    expect(api.getSyncRun).toHaveBeenCalledTimes(1);
    view.unmount();
    await act(() => jest.advanceTimersByTimeAsync(POLL_MS * 5));
    expect(api.getSyncRun).toHaveBeenCalledTimes(1);
  });
});
