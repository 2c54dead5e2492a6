import { Badge, MessageBar, MessageBarBody, MessageBarTitle, Spinner, Text, makeStyles, tokens } from '@fluentui/react-components';
import { DRIFT_KIND_ORDER, DRIFT_TEXT } from '../../../api/drift/drift-texts';
import type { CustomerDriftView, PortalApi } from '../api/portal-api';
import { DataTable } from '../shared/DataTable';
import { ErrorBar } from '../shared/ErrorBar';
import { formatDateTime, plural } from '../shared/format';
import { useApiQuery } from '../shared/use-api-query';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  numeric: { textAlign: 'right', width: '8em' },
  number: { whiteSpace: 'nowrap', width: '11em' },
});

/**
 * The customer's drift in Details (where an alert's "Open in the portal"
 * lands): what differed between the portal, the backend and Teams after its
 * last sync, and a sync that keeps failing. Read again with the page.
 */
export function DriftSection({ api, customerId, reload }: { api: PortalApi; customerId: string; reload: number }) {
  const styles = useStyles();
  const drift = useApiQuery(() => api.getCustomerDrift(customerId), [api, customerId, reload]);
  const d = drift.data;
  return (
    <div className={styles.root}>
      {drift.loading && !d && <Spinner size="tiny" label="Loading the drift report" />}
      {drift.error !== undefined && <ErrorBar error={drift.error} onRetry={drift.reload} />}
      {d && <DriftReport drift={d} />}
    </div>
  );
}

/** One entry per number and kind of drift (a number can drift two ways). */
const entriesOf = (drift: CustomerDriftView) => DRIFT_KIND_ORDER.reduce((sum, kind) => sum + drift.counts[kind], 0);

function DriftReport({ drift }: { drift: CustomerDriftView }) {
  const styles = useStyles();
  const kinds = DRIFT_KIND_ORDER.filter((kind) => drift.counts[kind] > 0);
  return (
    <>
      {drift.consecutiveFailures > 0 && drift.lastFailure && (
        <MessageBar intent="error">
          <MessageBarBody>
            <MessageBarTitle>{plural(drift.consecutiveFailures, 'failed sync')} in a row</MessageBarTitle>
            The last, {formatDateTime(drift.lastFailure.at)}: {drift.lastFailure.message}
          </MessageBarBody>
        </MessageBar>
      )}
      {drift.computedAt === null ? (
        <Text>Not compared yet: drift is worked out at the end of each sync that succeeds.</Text>
      ) : drift.total === 0 ? (
        <Text>
          <Badge appearance="tint" color="success">
            No drift
          </Badge>{' '}
          The portal, the backend{drift.teams?.checked ? ' and Teams' : ''} agreed at the sync of {formatDateTime(drift.computedAt)}.
        </Text>
      ) : (
        <>
          <Text>
            <Badge appearance="filled" color="warning">
              {plural(drift.total, 'number')}
            </Badge>{' '}
            drifted at the sync of {formatDateTime(drift.computedAt)}.
          </Text>
          <DataTable
            label="Drift by kind"
            columns={['Kind', { title: 'Numbers', className: styles.numeric }]}
            items={kinds}
            rowKey={(kind) => kind}
            cells={(kind) => [DRIFT_TEXT[kind], drift.counts[kind].toLocaleString()]}
          />
          <DataTable
            label="Drifted numbers"
            columns={[{ title: 'Number', className: styles.number }, 'Kind', 'Why']}
            items={drift.items}
            rowKey={(item) => `${item.kind}:${item.e164}`}
            cells={(item) => [item.e164, DRIFT_TEXT[item.kind], item.detail]}
          />
          {drift.itemsTruncated && (
            <Text size={200}>
              The first {drift.items.length.toLocaleString()} of {entriesOf(drift).toLocaleString()} entries are listed; the counts above are
              complete.
            </Text>
          )}
        </>
      )}
      {drift.teams && !drift.teams.checked && drift.teams.reason && <Text size={200}>{drift.teams.reason}.</Text>}
    </>
  );
}
