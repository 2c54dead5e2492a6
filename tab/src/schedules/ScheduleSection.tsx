import { Badge, Spinner, Text, makeStyles, tokens } from '@fluentui/react-components';
import type { CustomerScheduleChange, CustomerScheduleView, PortalApi } from '../api/portal-api';
import { QUEUED_SLOT_TEXT } from '../../../api/sync/sync-texts';
import { useAccess } from '../app/access';
import { scheduleText } from '../customers/customer-texts';
import { ErrorBar } from '../shared/ErrorBar';
import { formatDateTime } from '../shared/format';
import { useApiQuery } from '../shared/use-api-query';
import { ScheduleEditor } from './ScheduleEditor';
import { useScheduleSave } from './use-schedule-save';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
});

/** The customer's scheduled sync in Details: what it follows, when it next runs, what its last slot did, and (Operator) a change. */
export function ScheduleSection({ api, customerId }: { api: PortalApi; customerId: string }) {
  const styles = useStyles();
  const { can } = useAccess();
  const schedule = useApiQuery(() => api.getCustomerSchedule(customerId), [api, customerId]);
  const { saving, failure, saved, save } = useScheduleSave(
    (change: CustomerScheduleChange) => api.setCustomerSchedule(customerId, change),
    (answer) => schedule.setData(answer),
  );

  const s = schedule.data;
  return (
    <div className={styles.root}>
      {schedule.loading && !s && <Spinner size="tiny" label="Loading the schedule" />}
      {schedule.error !== undefined && <ErrorBar error={schedule.error} onRetry={schedule.reload} />}
      {s && (
        <>
          <Text>
            {scheduleText(s.schedule)}
            {s.source === 'default' ? ' (partner default)' : ''}
            {s.nextRunAt ? ` · next run ${formatDateTime(s.nextRunAt)}` : ' · no run scheduled'}
          </Text>
          <LastSlot view={s} />
          {can('setCustomerSchedule') && (
            <ScheduleEditor
              key={JSON.stringify(s.source === 'default' ? 'default' : s.schedule)}
              label="Change the scheduled sync"
              value={s.source === 'default' ? { kind: 'default' } : s.schedule}
              allowDefault
              saving={saving}
              failure={failure}
              onSave={save}
            />
          )}
          {failure !== undefined && <ErrorBar error={failure} />}
          {saved && <Text role="status">Schedule saved.</Text>}
        </>
      )}
    </div>
  );
}

function LastSlot({ view }: { view: CustomerScheduleView }) {
  const slot = view.lastSlot;
  if (!slot) return <Text size={200}>No scheduled sync has run yet.</Text>;
  return (
    <Text size={200}>
      Last scheduled sync, due {formatDateTime(slot.slot)}:{' '}
      {slot.state === 'started' ? (
        <Badge appearance="tint" color="success">
          Started
        </Badge>
      ) : slot.state === 'queued' ? (
        <>
          <Badge appearance="tint" color="informative">
            Queued
          </Badge>{' '}
          {QUEUED_SLOT_TEXT}
        </>
      ) : slot.state === 'skipped' ? (
        <>
          <Badge appearance="tint" color="warning">
            Skipped
          </Badge>{' '}
          {slot.reason}
        </>
      ) : (
        <Badge appearance="tint">Starting</Badge>
      )}
    </Text>
  );
}
