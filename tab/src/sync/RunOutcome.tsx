import { MessageBar, MessageBarBody, MessageBarTitle, Text, makeStyles, tokens } from '@fluentui/react-components';
import type { SyncRunView } from '../api/portal-api';
import { DataTable } from '../shared/DataTable';
import { plural } from '../shared/format';
import { statusText } from '../shared/labels';
import { StatusCountsTable } from '../shared/StatusCountsTable';

/** Entries of each list shown; the counts beside them are exact. */
const LIST_SHOWN = 10;

const useStyles = makeStyles({
  section: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  heading: { margin: 0, fontSize: tokens.fontSizeBase400, fontWeight: tokens.fontWeightSemibold },
  list: { margin: 0, paddingLeft: tokens.spacingHorizontalXL },
});

/** How a run ended: a summary, what went wrong, what changed, numbers by status and those needing attention. */
export function RunOutcome({ run }: { run: SyncRunView }) {
  const styles = useStyles();
  const failed = run.state === 'failed';
  return (
    <>
      <MessageBar intent={failed ? 'error' : run.errors.length > 0 ? 'warning' : 'success'}>
        <MessageBarBody>
          <MessageBarTitle>{outcomeTitle(run)}</MessageBarTitle>
          {failed
            ? 'Nothing was lost. See what went wrong below, then run the sync again.'
            : run.dryRun
              ? 'Nothing was changed. Press Sync to make these changes.'
              : run.errors.length > 0
                ? 'Some numbers were not handled; the next sync tries them again.'
                : 'The portal and the backend agree.'}
        </MessageBarBody>
      </MessageBar>

      {run.errors.length > 0 && (
        <section className={styles.section} aria-label="Errors">
          <h3 className={styles.heading}>What went wrong</h3>
          <ul className={styles.list}>
            {run.errors.map((problem, index) => (
              <li key={index}>{problem.message}</li>
            ))}
          </ul>
        </section>
      )}

      {!failed && <Changes run={run} />}

      {!failed && (
        <section className={styles.section} aria-label="Numbers by status">
          <h3 className={styles.heading}>{run.dryRun ? 'Numbers by status after a sync' : 'Numbers by status'}</h3>
          <StatusCountsTable counts={run.counts} label="Numbers by status" />
        </section>
      )}

      {run.attention.length > 0 && (
        <section className={styles.section} aria-label="Numbers that need attention">
          <h3 className={styles.heading}>Numbers that need attention ({run.attention.length.toLocaleString()})</h3>
          <DataTable
            label="Numbers that need attention"
            columns={['Number', 'Status', 'Detail']}
            items={run.attention}
            rowKey={(item) => item.e164}
            cells={(item) => [item.e164, item.statusText, item.detail ?? '']}
          />
        </section>
      )}
    </>
  );
}

function outcomeTitle(run: SyncRunView): string {
  if (run.state === 'failed') return run.dryRun ? 'The preview failed' : 'The sync failed';
  if (run.dryRun) return 'Preview: what a sync would change';
  return run.errors.length > 0 ? 'The sync finished with problems' : 'The sync succeeded';
}

const WOULD = {
  route: 'to route to Teams',
  import: 'to import',
  remove: 'to remove',
  release: 'to release from the backend',
  status: 'to change status',
};
const DID = {
  route: 'routed to Teams',
  import: 'imported',
  remove: 'removed',
  release: 'released from the backend',
  status: 'changed status',
};

/** What the run changed, or for a preview would change: counts and the first few of each. */
function Changes({ run }: { run: SyncRunView }) {
  const styles = useStyles();
  const { changes, changeCounts } = run;
  const verb = run.dryRun ? WOULD : DID;
  const account = changes.account;
  const nothing =
    !account &&
    changeCounts.routed + changeCounts.imported + changeCounts.removed + changeCounts.released + changeCounts.statusChanges === 0;

  return (
    <section className={styles.section} aria-label={run.dryRun ? 'Changes a sync would make' : 'Changes made'}>
      <h3 className={styles.heading}>{run.dryRun ? 'Changes a sync would make' : 'Changes made'}</h3>
      {nothing && <Text>{run.dryRun ? 'Nothing to change: the customer is in sync.' : 'Nothing needed changing.'}</Text>}
      {account && (
        <div>
          <Text weight="semibold">Account settings</Text>
          <ul className={styles.list}>
            {account.from.maxChannels !== account.to.maxChannels && (
              <li>
                Max Channels: {account.from.maxChannels ?? 'not set'} → {account.to.maxChannels}
              </li>
            )}
            {account.from.tenantName !== account.to.tenantName && (
              <li>
                Office 365 Tenant Name: {account.from.tenantName ?? 'not set'} → {account.to.tenantName}
              </li>
            )}
          </ul>
        </div>
      )}
      <ChangeList title={`${plural(changeCounts.routed, 'number')} ${verb.route}`} items={changes.toRoute} total={changeCounts.routed} />
      <ChangeList title={`${plural(changeCounts.imported, 'number')} ${verb.import}`} items={changes.toImport} total={changeCounts.imported} />
      <ChangeList
        title={`${plural(changeCounts.removed, 'number')} ${verb.remove}`}
        items={changes.toRemove.map((r) => `${r.e164} (${r.mode === 'delete' ? 'delete' : 'retain'})`)}
        total={changeCounts.removed}
      />
      <ChangeList title={`${plural(changeCounts.released, 'number')} ${verb.release}`} items={changes.toRelease} total={changeCounts.released} />
      <ChangeList
        title={`${plural(changeCounts.statusChanges, 'number')} ${verb.status}`}
        items={changes.statusChanges.map((c) => `${c.e164}: ${statusText(c.from)} → ${statusText(c.to)}`)}
        total={changeCounts.statusChanges}
      />
    </section>
  );
}

function ChangeList({ title, items, total }: { title: string; items: string[]; total: number }) {
  const styles = useStyles();
  if (total === 0) return null;
  const shown = items.slice(0, LIST_SHOWN);
  const more = total - shown.length;
  return (
    <div>
      <Text weight="semibold">{title}</Text>
      <ul className={styles.list}>
        {shown.map((item) => (
          <li key={item}>{item}</li>
        ))}
        {more > 0 && <li>and {more.toLocaleString()} more</li>}
      </ul>
    </div>
  );
}
