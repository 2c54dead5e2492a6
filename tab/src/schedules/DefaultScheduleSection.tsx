import { Spinner, Subtitle2, Text, makeStyles, tokens } from '@fluentui/react-components';
import type { PortalApi, SyncSchedule } from '../api/portal-api';
import { scheduleText } from '../customers/customer-texts';
import { ErrorBar } from '../shared/ErrorBar';
import { formatDateTime } from '../shared/format';
import { useApiQuery } from '../shared/use-api-query';
import { ScheduleEditor } from './ScheduleEditor';
import { useScheduleSave } from './use-schedule-save';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
});

/** The partner's default schedule (Admin): what every customer without a schedule of its own follows. */
export function DefaultScheduleSection({ api }: { api: PortalApi }) {
  const styles = useStyles();
  const schedule = useApiQuery(() => api.getDefaultSchedule(), [api]);
  const { saving, failure, saved, save } = useScheduleSave(
    (change: SyncSchedule) => api.setDefaultSchedule(change),
    (answer) => schedule.setData(answer),
  );
  const s = schedule.data;

  return (
    <section className={styles.root} aria-label="Default sync schedule">
      <Subtitle2 as="h3">Default sync schedule</Subtitle2>
      {schedule.loading && !s && <Spinner size="tiny" label="Loading the default schedule" />}
      {schedule.error !== undefined && <ErrorBar error={schedule.error} onRetry={schedule.reload} />}
      {s && (
        <>
          <Text>
            Customers without a schedule of their own: {scheduleText(s.schedule)}
            {s.nextRunAt ? ` · next run ${formatDateTime(s.nextRunAt)}` : ''}
          </Text>
          <ScheduleEditor
            key={JSON.stringify(s.schedule)}
            label="Change the default sync schedule"
            value={s.schedule}
            allowDefault={false}
            saving={saving}
            failure={failure}
            onSave={(change) => save(change as SyncSchedule)}
          />
          {failure !== undefined && <ErrorBar error={failure} />}
          {saved && <Text role="status">Default schedule saved.</Text>}
        </>
      )}
    </section>
  );
}
