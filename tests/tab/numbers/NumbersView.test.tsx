import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ApiError, type CustomerView, type NumberView, type Page, type RemoveNumbersResult } from '../../../tab/src/api/portal-api';
import { NumbersView, removalNotice } from '../../../tab/src/numbers/NumbersView';
import { fakeApi, renderAs, renderInFluent } from '../support/render';
import { syncRunView } from '../../support/views';
import { QUEUED_SYNC_TEXT } from '../../../api/sync/sync-texts';

const customer: CustomerView = {
  id: 'c1',
  accountId: 'ACME-1',
  tenantName: 'acme.onmicrosoft.com',
  name: 'Acme',
  maxChannels: 10,
  seatType: null,
  canManage: false,
  customerTenantId: null,
  numberCount: 3,
  lastSync: null,
  drift: null,
  createdAt: '2024-01-01T00:00:00.000Z',
  updatedAt: '2024-01-01T00:00:00.000Z',
};

const STATUS_TEXT = {
  pending: 'Added, waiting for sync',
  synced: 'Synced',
  backend_fatal: "This number cannot be sync'ed automatically (backend reports fatal)",
  not_in_backend: 'Needs to be added to portal (not in backend)',
} as const;

function number(e164: string, status: keyof typeof STATUS_TEXT = 'pending'): NumberView {
  return {
    e164,
    status,
    statusText: STATUS_TEXT[status],
    addedAt: '2024-02-03T10:00:00.000Z',
    addedBy: { tid: 't1', oid: 'o1', name: 'Pat Partner' },
    syncedAt: null,
  };
}

function page(items: NumberView[], total = items.length, pageNumber = 1): Page<NumberView> {
  return { items, total, page: pageNumber, pageSize: 50 };
}

const three = [number('+15550100001'), number('+15550100002', 'synced'), number('+15550100003', 'backend_fatal')];

function setup(answer: Page<NumberView> = page(three)) {
  const api = fakeApi();
  api.listNumbers.mockResolvedValue(answer);
  const onClose = jest.fn();
  const user = userEvent.setup();
  renderInFluent(<NumbersView api={api} customer={customer} onClose={onClose} />);
  return { api, onClose, user };
}

describe('NumbersView', () => {
  it('shows a Viewer the numbers with no Add and no Remove, and an Operator both', async () => {
    for (const [role, shown] of [['viewer', false], ['operator', true]] as const) {
      const api = fakeApi();
      api.listNumbers.mockResolvedValue(page(three));
      const view = renderAs(role, <NumbersView api={api} customer={customer} onClose={jest.fn()} />);
      expect(await screen.findByText('+15550100001')).toBeInTheDocument();
      expect(screen.queryByRole('button', { name: 'Add' }) !== null).toBe(shown);
      expect(screen.queryByRole('button', { name: 'Remove' }) !== null).toBe(shown);
      expect(screen.queryByRole('button', { name: 'Import' }) !== null).toBe(shown);
      expect(screen.getByRole('button', { name: 'Export' })).toBeInTheDocument();
      expect(screen.getByRole('button', { name: 'Close' })).toBeInTheDocument();
      // The checkboxes are there to remove: a Viewer has none.
      expect(screen.queryByRole('checkbox', { name: 'Select +15550100001' }) !== null).toBe(shown);
      view.unmount();
    }
  });

  it('lists the first page of numbers with their status text, added at and by', async () => {
    const { api } = setup();

    expect(await screen.findByRole('cell', { name: '+15550100001' })).toBeInTheDocument();
    expect(api.listNumbers).toHaveBeenCalledWith('c1', { page: 1, pageSize: 50 });
    expect(screen.getByRole('heading', { name: /Acme \(3 numbers\)/ })).toBeInTheDocument();
    const row = screen.getByRole('row', { name: /\+15550100003/ });
    expect(within(row).getByText(STATUS_TEXT.backend_fatal)).toBeInTheDocument();
    expect(within(row).getByText('Pat Partner')).toBeInTheDocument();
    expect(within(row).getByText(new Date('2024-02-03T10:00:00.000Z').getFullYear().toString(), { exact: false })).toBeInTheDocument();
  });

  it('names the customer by account ID when it has no name', async () => {
    const api = fakeApi();
    api.listNumbers.mockResolvedValue(page([]));
    renderInFluent(<NumbersView api={api} customer={{ ...customer, name: null }} onClose={jest.fn()} />);

    expect(await screen.findByRole('heading', { name: /ACME-1 \(0 numbers\)/ })).toBeInTheDocument();
    expect(screen.getByText(/has no numbers yet/)).toBeInTheDocument();
  });

  it('pages on the server, 50 at a time', async () => {
    const { api, user } = setup(page(three, 120));
    await screen.findByText('1–50 of 120');
    expect(screen.getByRole('button', { name: 'Previous' })).toBeDisabled();

    api.listNumbers.mockResolvedValue(page([number('+15550100051')], 120, 2));
    await user.click(screen.getByRole('button', { name: 'Next' }));

    expect(await screen.findByText('51–100 of 120')).toBeInTheDocument();
    expect(api.listNumbers).toHaveBeenLastCalledWith('c1', { page: 2, pageSize: 50 });
    expect(await screen.findByRole('cell', { name: '+15550100051' })).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Previous' }));
    await waitFor(() => expect(api.listNumbers).toHaveBeenLastCalledWith('c1', { page: 1, pageSize: 50 }));
  });

  it('offers All and the four statuses by their text, and filters on the server from page 1', async () => {
    const { api, user } = setup(page(three, 120));
    await screen.findByText('1–50 of 120');
    await user.click(screen.getByRole('button', { name: 'Next' }));
    await waitFor(() => expect(api.listNumbers).toHaveBeenLastCalledWith('c1', { page: 2, pageSize: 50 }));

    const filter = screen.getByRole('combobox', { name: 'Status' });
    expect(within(filter).getAllByRole('option').map((option) => option.textContent)).toEqual([
      'All',
      ...Object.values(STATUS_TEXT),
    ]);

    await user.selectOptions(filter, STATUS_TEXT.backend_fatal);
    await waitFor(() =>
      expect(api.listNumbers).toHaveBeenLastCalledWith('c1', { status: 'backend_fatal', page: 1, pageSize: 50 }),
    );
    expect(await screen.findByRole('heading', { name: /matching/ })).toBeInTheDocument();

    await user.selectOptions(filter, 'All');
    await waitFor(() => expect(api.listNumbers).toHaveBeenLastCalledWith('c1', { page: 1, pageSize: 50 }));
  });

  it('searches on the server once typing pauses', async () => {
    const { api, user } = setup();
    await screen.findByRole('cell', { name: '+15550100001' });
    api.listNumbers.mockClear();

    await user.type(screen.getByRole('searchbox', { name: 'Search' }), '0100002');

    await waitFor(() =>
      expect(api.listNumbers).toHaveBeenLastCalledWith('c1', { search: '0100002', page: 1, pageSize: 50 }),
    );
    // Debounced: not one request per key.
    expect(api.listNumbers.mock.calls.length).toBeLessThan(3);

    await user.selectOptions(screen.getByRole('combobox', { name: 'Status' }), STATUS_TEXT.synced);
    await waitFor(() =>
      expect(api.listNumbers).toHaveBeenLastCalledWith('c1', {
        status: 'synced',
        search: '0100002',
        page: 1,
        pageSize: 50,
      }),
    );
  });

  it('enables Remove only with a selected row; rows select by mouse and keyboard', async () => {
    const { user } = setup();
    await screen.findByRole('cell', { name: '+15550100001' });
    const remove = screen.getByRole('button', { name: 'Remove' });
    expect(remove).toBeDisabled();

    await user.click(screen.getByRole('checkbox', { name: 'Select +15550100001' }));
    expect(screen.getByRole('checkbox', { name: 'Select +15550100001' })).toBeChecked();
    expect(screen.getByRole('row', { name: /\+15550100001/ })).toHaveAttribute('aria-selected', 'true');
    expect(remove).toBeEnabled();
    expect(screen.getByText(/1 selected/)).toBeInTheDocument();

    // A click on the row itself toggles it too.
    await user.click(screen.getByRole('cell', { name: '+15550100001' }));
    expect(screen.getByRole('checkbox', { name: 'Select +15550100001' })).not.toBeChecked();
    expect(remove).toBeDisabled();

    // Keyboard: Space on the focused checkbox.
    const second = screen.getByRole('checkbox', { name: 'Select +15550100002' });
    second.focus();
    await user.keyboard(' ');
    expect(second).toBeChecked();
    expect(remove).toBeEnabled();

    // Arrow keys move between the rows' checkboxes.
    await user.keyboard('{ArrowDown}');
    expect(screen.getByRole('checkbox', { name: 'Select +15550100003' })).toHaveFocus();
    await user.keyboard('{ArrowUp}{ArrowUp}');
    expect(screen.getByRole('checkbox', { name: 'Select +15550100001' })).toHaveFocus();

    // Select all on the page, then none.
    const all = screen.getByRole('checkbox', { name: 'Select all numbers on this page' });
    await user.click(all);
    for (const e164 of ['+15550100001', '+15550100002', '+15550100003']) {
      expect(screen.getByRole('checkbox', { name: `Select ${e164}` })).toBeChecked();
    }
    await user.click(all);
    expect(screen.getByRole('checkbox', { name: 'Select +15550100002' })).not.toBeChecked();
    expect(remove).toBeDisabled();
  });

  it('Close goes back', async () => {
    const { onClose, user } = setup();
    await screen.findByRole('cell', { name: '+15550100001' });
    await user.click(screen.getByRole('button', { name: 'Close' }));
    expect(onClose).toHaveBeenCalledTimes(1);
  });

  it('says what went wrong when the list cannot be loaded, and tries again', async () => {
    const api = fakeApi();
    api.listNumbers.mockRejectedValueOnce(new ApiError(503, 'unavailable', 'The database is not answering. Try again in a minute.'));
    api.listNumbers.mockResolvedValue(page(three));
    const user = userEvent.setup();
    renderInFluent(<NumbersView api={api} customer={customer} onClose={jest.fn()} />);

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('The database is not answering. Try again in a minute.');

    await user.click(within(alert).getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('cell', { name: '+15550100001' })).toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('removes the selected numbers, refreshes, and says what happened', async () => {
    const { api, user } = setup();
    await screen.findByRole('cell', { name: '+15550100001' });
    await user.click(screen.getByRole('checkbox', { name: 'Select +15550100001' }));
    await user.click(screen.getByRole('checkbox', { name: 'Select +15550100003' }));
    await user.click(screen.getByRole('button', { name: 'Remove' }));

    const dialog = await screen.findByRole('alertdialog');
    expect(within(dialog).getByText('+15550100001')).toBeInTheDocument();
    expect(within(dialog).getByText('+15550100003')).toBeInTheDocument();
    expect(within(dialog).queryByText('+15550100002')).not.toBeInTheDocument();

    const answer: RemoveNumbersResult = {
      mode: 'retain',
      results: [
        { input: '+15550100001', e164: '+15550100001', outcome: 'removed' },
        { input: '+15550100003', e164: '+15550100003', outcome: 'removed' },
      ],
      summary: { removed: 2, 'not-found': 0, invalid: 0 },
      syncRun: { ...syncRunView({ id: 'run-1', state: 'running', phase: 'reading' }), started: true, queuedAfter: null },
    };
    api.removeNumbers.mockResolvedValue(answer);
    api.getSyncRun.mockResolvedValue(syncRunView({ id: 'run-1', state: 'running', phase: 'routing' }));
    api.listNumbers.mockClear();
    api.listNumbers.mockResolvedValue(page([number('+15550100002', 'synced')]));
    await user.click(within(dialog).getByRole('button', { name: 'Remove' }));

    expect(api.removeNumbers).toHaveBeenCalledWith('c1', ['+15550100001', '+15550100003'], 'retain');
    await waitFor(() => expect(screen.queryByRole('alertdialog', { hidden: true })).not.toBeInTheDocument());
    const notice = await screen.findByText(/Removed 2 numbers; they stay in the backend/);
    expect(notice).toHaveTextContent('The backend clean-up sync has started.');
    expect(api.listNumbers).toHaveBeenCalledWith('c1', { page: 1, pageSize: 50 });
    await waitFor(() => expect(screen.queryByRole('cell', { name: '+15550100001' })).not.toBeInTheDocument());
    expect(screen.getByRole('button', { name: 'Remove' })).toBeDisabled();
    // Focus goes to what happened, since Remove is disabled now.
    await waitFor(() => expect(notice.closest('[tabindex="-1"]')).toHaveFocus());
  });

  it('says when the clean-up sync is queued behind a sync already running, follows it to its end, then shows what it did', async () => {
    const { api, user } = setup();
    await screen.findByRole('cell', { name: '+15550100001' });
    await user.click(screen.getByRole('checkbox', { name: 'Select +15550100001' }));
    await user.click(screen.getByRole('button', { name: 'Remove' }));
    const dialog = await screen.findByRole('alertdialog');
    api.removeNumbers.mockResolvedValue({
      mode: 'retain',
      results: [{ input: '+15550100001', e164: '+15550100001', outcome: 'removed' }],
      summary: { removed: 1, 'not-found': 0, invalid: 0 },
      syncRun: { ...syncRunView({ id: 'run-next' }), started: false, queuedAfter: 'run-under-way' },
    });
    api.getSyncRun.mockResolvedValueOnce(syncRunView({ id: 'run-next' })).mockResolvedValue(syncRunView({ id: 'run-next', state: 'succeeded', phase: 'done' }));
    api.listNumbers.mockResolvedValue(page([number('+15550100002', 'synced'), number('+15550100003', 'backend_fatal')]));
    await user.click(within(dialog).getByRole('button', { name: 'Remove' }));

    const notice = await screen.findByText(/Removed 1 number; it stays in the backend/);
    expect(notice).toHaveTextContent(QUEUED_SYNC_TEXT);
    api.listNumbers.mockClear();
    // Followed until it ends: the notice says so, and the list is read again for what the sync wrote.
    await waitFor(() => expect(notice).toHaveTextContent('The backend clean-up sync has finished.'), { timeout: 5000 });
    expect(notice).not.toHaveTextContent(QUEUED_SYNC_TEXT);
    expect(api.getSyncRun.mock.calls.every(([runId]) => runId === 'run-next')).toBe(true);
    await waitFor(() => expect(api.listNumbers).toHaveBeenCalled());
  });

  it('keeps the dialog and the selection when a removal fails', async () => {
    const { api, user } = setup();
    await screen.findByRole('cell', { name: '+15550100001' });
    await user.click(screen.getByRole('checkbox', { name: 'Select +15550100002' }));
    await user.click(screen.getByRole('button', { name: 'Remove' }));
    api.removeNumbers.mockRejectedValue(new ApiError(0, 'network', 'The portal cannot be reached.'));

    const dialog = await screen.findByRole('alertdialog');
    await user.click(within(dialog).getByRole('button', { name: 'Remove' }));

    expect(await within(dialog).findByRole('alert')).toHaveTextContent('The portal cannot be reached.');
    // Closed from the keyboard, focus goes back to Remove.
    within(dialog).getByRole('button', { name: 'Cancel' }).focus();
    await user.keyboard('{Enter}');
    await waitFor(() => expect(screen.queryByRole('alertdialog', { hidden: true })).not.toBeInTheDocument());
    expect(await screen.findByRole('checkbox', { name: 'Select +15550100002' })).toBeChecked();
    expect(screen.getByRole('button', { name: 'Remove' })).toBeEnabled();
    await waitFor(() => expect(screen.getByRole('button', { name: 'Remove' })).toHaveFocus());
  });

  it('adds numbers through the Add dialog and refreshes the list', async () => {
    const { api, user } = setup();
    await screen.findByRole('cell', { name: '+15550100001' });
    api.addNumbers.mockResolvedValue({
      results: [{ input: '+15550100009', e164: '+15550100009', outcome: 'added' }],
      summary: { added: 1, 'already-present': 0, 'owned-elsewhere': 0, invalid: 0 },
    });
    api.listNumbers.mockClear();

    await user.click(screen.getByRole('button', { name: 'Add' }));
    const dialog = await screen.findByRole('dialog');
    await user.type(within(dialog).getByRole('textbox', { name: /Numbers/ }), '+15550100009');
    await user.click(within(dialog).getByRole('button', { name: 'Add' }));

    expect(await within(dialog).findByText('1 added')).toBeInTheDocument();
    expect(api.addNumbers).toHaveBeenCalledWith('c1', '+15550100009');
    await waitFor(() => expect(api.listNumbers).toHaveBeenCalledTimes(1));

    // Closed from the keyboard, focus goes back to the button that opened the dialog.
    await user.tab();
    expect(within(dialog).getByRole('button', { name: 'Done' })).toHaveFocus();
    await user.keyboard('{Enter}');
    await waitFor(() => expect(screen.queryByRole('dialog', { hidden: true })).not.toBeInTheDocument());
    await waitFor(() => expect(screen.getByRole('button', { name: 'Add' })).toHaveFocus());
  });

  it('goes to the new last page when a removal emptied the page shown', async () => {
    const { api, user } = setup(page(three, 51));
    await screen.findByText('1–50 of 51');
    api.listNumbers.mockResolvedValueOnce(page([], 50, 2)).mockResolvedValue(page(three, 50));
    await user.click(screen.getByRole('button', { name: 'Next' }));

    await waitFor(() => expect(api.listNumbers).toHaveBeenLastCalledWith('c1', { page: 1, pageSize: 50 }));
    expect(await screen.findByText('1–50 of 50')).toBeInTheDocument();
  });
});

describe('removalNotice', () => {
  const base = { results: [], syncRun: null };

  it('says the numbers were deleted from the backend, and what was not removed', () => {
    const notice = removalNotice({
      ...base,
      mode: 'delete',
      summary: { removed: 1, 'not-found': 2, invalid: 1 },
      syncRun: { ...syncRunView({ id: 'run-2' }), started: false, queuedAfter: 'run-1' },
    });
    expect(notice.intent).toBe('warning');
    expect(notice.text).toBe(
      `Removed 1 number; it is deleted from the backend. 2 numbers were not on this customer. 1 entry was not a valid number. ${QUEUED_SYNC_TEXT}`,
    );
  });

  it('says where the clean-up sync queued behind another is, as it is followed', () => {
    const result: RemoveNumbersResult = {
      ...base,
      mode: 'retain',
      summary: { removed: 1, 'not-found': 0, invalid: 0 },
      syncRun: { ...syncRunView({ id: 'run-2' }), started: false, queuedAfter: 'run-1' },
    };
    const said = (state?: 'queued' | 'running' | 'succeeded' | 'failed') =>
      removalNotice(result, state && syncRunView({ id: 'run-2', state })).text.replace('Removed 1 number; it stays in the backend (only detached). ', '');
    expect([said(), said('queued'), said('running'), said('succeeded'), said('failed')]).toEqual([
      QUEUED_SYNC_TEXT,
      QUEUED_SYNC_TEXT,
      'The backend clean-up sync has started.',
      'The backend clean-up sync has finished.',
      'The backend clean-up sync failed; the next sync cleans up the backend.',
    ]);
  });

  it('says when the clean-up waits for the next sync', () => {
    const notice = removalNotice({ ...base, mode: 'retain', summary: { removed: 3, 'not-found': 0, invalid: 0 } });
    expect(notice.intent).toBe('success');
    expect(notice.text).toBe(
      'Removed 3 numbers; they stay in the backend (only detached). The backend is cleaned up at the next sync.',
    );
  });

  it('says when nothing was removed', () => {
    const notice = removalNotice({ ...base, mode: 'retain', summary: { removed: 0, 'not-found': 1, invalid: 0 } });
    expect(notice.text).toBe('No number was removed. 1 number was not on this customer.');
  });
});
