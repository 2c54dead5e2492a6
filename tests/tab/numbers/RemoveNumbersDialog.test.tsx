import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ApiError, type CustomerView, type RemoveNumbersResult } from '../../../tab/src/api/portal-api';
import { RemoveNumbersDialog } from '../../../tab/src/numbers/RemoveNumbersDialog';
import { fakeApi, renderInFluent } from '../support/render';

const customer = { id: 'c1', accountId: 'ACME-1', name: 'Acme' } as CustomerView;
const selected = ['+15550100001', '+15550100003'];
const RETAIN = 'Keep the numbers in the backend (only detach them)';
const DELETE = 'Delete the numbers from the backend';

function answer(mode: 'delete' | 'retain'): RemoveNumbersResult {
  return {
    mode,
    results: selected.map((e164) => ({ input: e164, e164, outcome: 'removed' as const })),
    summary: { removed: 2, 'not-found': 0, invalid: 0 },
    syncRun: null,
  };
}

function setup() {
  const api = fakeApi();
  const onCancel = jest.fn();
  const onRemoved = jest.fn();
  const user = userEvent.setup();
  renderInFluent(
    <RemoveNumbersDialog api={api} customer={customer} numbers={selected} open onCancel={onCancel} onRemoved={onRemoved} />,
  );
  const dialog = screen.getByRole('alertdialog', { name: 'Remove numbers' });
  return { api, onCancel, onRemoved, user, dialog };
}

describe('RemoveNumbersDialog', () => {
  it('lists the selected numbers and keeps them in the backend by default', () => {
    const { dialog } = setup();
    expect(within(dialog).getByText(/Remove 2 numbers from Acme\?/)).toBeInTheDocument();
    const list = within(dialog).getByRole('list');
    expect(within(list).getAllByRole('listitem').map((item) => item.textContent)).toEqual(selected);
    expect(within(dialog).getByRole('switch', { name: RETAIN })).not.toBeChecked();
  });

  it("removes with mode 'retain' when the toggle is off", async () => {
    const { api, onRemoved, user, dialog } = setup();
    api.removeNumbers.mockResolvedValue(answer('retain'));

    await user.click(within(dialog).getByRole('button', { name: 'Remove' }));

    expect(api.removeNumbers).toHaveBeenCalledWith('c1', selected, 'retain');
    await waitFor(() => expect(onRemoved).toHaveBeenCalledWith(answer('retain')));
  });

  it("removes with mode 'delete' when the toggle is on, and the label says so", async () => {
    const { api, onRemoved, user, dialog } = setup();
    api.removeNumbers.mockResolvedValue(answer('delete'));

    await user.click(within(dialog).getByRole('switch', { name: RETAIN }));
    expect(within(dialog).getByRole('switch', { name: DELETE })).toBeChecked();
    await user.click(within(dialog).getByRole('button', { name: 'Remove' }));

    expect(api.removeNumbers).toHaveBeenCalledWith('c1', selected, 'delete');
    await waitFor(() => expect(onRemoved).toHaveBeenCalledTimes(1));
    expect(onRemoved).toHaveBeenCalledWith(answer('delete'));
  });

  it('shows progress and disables the buttons while removing', async () => {
    const { api, user, dialog } = setup();
    api.removeNumbers.mockReturnValue(new Promise(() => undefined));

    await user.click(within(dialog).getByRole('button', { name: 'Remove' }));

    expect(within(dialog).getByText('Removing the numbers')).toBeInTheDocument();
    expect(within(dialog).getByRole('button', { name: 'Remove' })).toBeDisabled();
    expect(within(dialog).getByRole('button', { name: 'Cancel' })).toBeDisabled();
  });

  it('says what went wrong and keeps the choice when the request fails', async () => {
    const { api, onRemoved, user, dialog } = setup();
    api.removeNumbers.mockRejectedValue(new ApiError(404, 'not_found', 'The customer no longer exists.'));

    await user.click(within(dialog).getByRole('switch', { name: RETAIN }));
    await user.click(within(dialog).getByRole('button', { name: 'Remove' }));

    const alert = await within(dialog).findByRole('alert');
    expect(alert).toHaveTextContent('Not found');
    expect(alert).toHaveTextContent('The customer no longer exists.');
    expect(within(dialog).getByRole('switch', { name: DELETE })).toBeChecked();
    expect(within(dialog).getByRole('button', { name: 'Remove' })).toBeEnabled();
    expect(onRemoved).not.toHaveBeenCalled();
  });

  it('Cancel closes without removing', async () => {
    const { api, onCancel, user, dialog } = setup();
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(onCancel).toHaveBeenCalledTimes(1);
    expect(api.removeNumbers).not.toHaveBeenCalled();
  });
});
