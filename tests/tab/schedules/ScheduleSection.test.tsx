import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ApiError, type CustomerScheduleView } from '../../../tab/src/api/portal-api';
import { ScheduleSection } from '../../../tab/src/schedules/ScheduleSection';
import { DefaultScheduleSection } from '../../../tab/src/schedules/DefaultScheduleSection';
import { fakeApi, renderAs } from '../support/render';
import { QUEUED_SLOT_TEXT } from '../../../api/sync/sync-texts';

const hourly: CustomerScheduleView = {
  schedule: { kind: 'hourly', minute: 15 },
  source: 'customer',
  partnerDefault: { kind: 'off' },
  nextRunAt: '2027-03-01T11:15:00.000Z',
  lastSlot: { slot: '2027-03-01T10:15:00.000Z', state: 'skipped', runId: null, reason: 'A sync of this customer was already running' },
};

describe('ScheduleSection', () => {
  it('shows the schedule, its next run and why the last slot was skipped; a Viewer cannot change it', async () => {
    const api = fakeApi();
    api.getCustomerSchedule.mockResolvedValue(hourly);
    renderAs('viewer', <ScheduleSection api={api} customerId="c1" />);
    expect(await screen.findByText(/Every hour at :15 · next run/)).toBeInTheDocument();
    expect(screen.getByText('Skipped')).toBeInTheDocument();
    expect(screen.getByText(/A sync of this customer was already running/)).toBeInTheDocument();
    await waitFor(() => expect(api.getCustomerSchedule).toHaveBeenCalledWith('c1'));
    expect(screen.queryByRole('form', { name: 'Change the scheduled sync' })).not.toBeInTheDocument();
  });

  it('says when the last slot found a sync running and queued its own behind it', async () => {
    const api = fakeApi();
    api.getCustomerSchedule.mockResolvedValue({ ...hourly, lastSlot: { slot: '2027-03-01T10:15:00.000Z', state: 'queued', runId: 'r-next', reason: null } });
    renderAs('viewer', <ScheduleSection api={api} customerId="c1" />);
    expect(await screen.findByText('Queued')).toBeInTheDocument();
    expect(screen.getByText(new RegExp(QUEUED_SLOT_TEXT))).toBeInTheDocument();
    expect(screen.queryByText('Skipped')).not.toBeInTheDocument();
  });

  it('lets an Operator set a daily time in a time zone, and shows the saved schedule', async () => {
    const api = fakeApi();
    api.getCustomerSchedule.mockResolvedValue(hourly);
    api.setCustomerSchedule.mockResolvedValue({ ...hourly, schedule: { kind: 'daily', time: '02:30', timeZone: 'Europe/Berlin' }, nextRunAt: '2027-03-02T01:30:00.000Z' });
    const user = userEvent.setup();
    renderAs('operator', <ScheduleSection api={api} customerId="c1" />);
    await user.selectOptions(await screen.findByRole('combobox', { name: 'Scheduled sync' }), 'daily');
    const at = screen.getByLabelText('At');
    await user.clear(at);
    await user.type(at, '02:30');
    const zone = screen.getByRole('combobox', { name: 'Time zone' });
    await user.clear(zone);
    await user.type(zone, 'Europe/Berlin');
    await user.click(screen.getByRole('button', { name: 'Save schedule' }));
    expect(api.setCustomerSchedule).toHaveBeenCalledWith('c1', { kind: 'daily', time: '02:30', timeZone: 'Europe/Berlin' });
    expect(await screen.findByText('Schedule saved.')).toBeInTheDocument();
    expect(screen.getByText(/Every day at 02:30 \(Europe\/Berlin\)/)).toBeInTheDocument();
  });

  it('goes back to the partner default, and shows a refusal at the field it names', async () => {
    const api = fakeApi();
    api.getCustomerSchedule.mockResolvedValue(hourly);
    api.setCustomerSchedule.mockRejectedValueOnce(
      new ApiError(400, 'validation_failed', 'The request is not valid', [{ field: 'minute', message: 'minute must be a whole number from 0 to 59' }]),
    );
    const user = userEvent.setup();
    renderAs('operator', <ScheduleSection api={api} customerId="c1" />);
    const minute = await screen.findByLabelText('At minute');
    await user.clear(minute);
    await user.type(minute, '75');
    await user.click(screen.getByRole('button', { name: 'Save schedule' }));
    expect(await screen.findByText('minute must be a whole number from 0 to 59')).toBeInTheDocument();

    api.setCustomerSchedule.mockResolvedValueOnce({ ...hourly, schedule: { kind: 'off' }, source: 'default', nextRunAt: null });
    await user.selectOptions(screen.getByRole('combobox', { name: 'Scheduled sync' }), 'default');
    await user.click(screen.getByRole('button', { name: 'Save schedule' }));
    expect(api.setCustomerSchedule).toHaveBeenLastCalledWith('c1', { kind: 'default' });
    expect(await screen.findByText(/Off \(partner default\) · no run scheduled/)).toBeInTheDocument();
  });
});

describe('DefaultScheduleSection', () => {
  it('sets the default schedule customers without their own follow', async () => {
    const api = fakeApi();
    api.setDefaultSchedule.mockResolvedValue({ schedule: { kind: 'cron', expression: '0 */6 * * *', timeZone: 'UTC' }, nextRunAt: '2027-03-01T12:00:00.000Z' });
    const user = userEvent.setup();
    renderAs('admin', <DefaultScheduleSection api={api} />);
    const kind = await screen.findByRole('combobox', { name: 'Scheduled sync' });
    expect(screen.queryByRole('option', { name: 'Partner default' })).not.toBeInTheDocument();
    await user.selectOptions(kind, 'cron');
    const zone = screen.getByRole('combobox', { name: 'Time zone' });
    await user.clear(zone);
    await user.type(zone, 'UTC');
    await user.click(screen.getByRole('button', { name: 'Save schedule' }));
    expect(api.setDefaultSchedule).toHaveBeenCalledWith({ kind: 'cron', expression: '0 */6 * * *', timeZone: 'UTC' });
    expect(await screen.findByText(/Cron "0 \*\/6 \* \* \*" \(UTC\)/)).toBeInTheDocument();
  });
});
