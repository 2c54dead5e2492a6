import { Button, Spinner, Text, makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import { useEffect, useRef, useState, type DragEvent } from 'react';
import type { ImportPreview, ImportStarted, JobView, PortalApi } from '../api/portal-api';
import { FollowedJobDialog } from '../jobs/FollowedJobDialog';
import { outcomeSummary, outcomeTextOf, successOf } from '../jobs/job-texts';
import { DataTable } from '../shared/DataTable';
import { DialogShell } from '../shared/DialogShell';
import { plural } from '../shared/format';

const useStyles = makeStyles({
  drop: {
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'center',
    gap: tokens.spacingVerticalS,
    padding: tokens.spacingVerticalXXL,
    border: `${tokens.strokeWidthThick} dashed ${tokens.colorNeutralStroke1}`,
    borderRadius: tokens.borderRadiusMedium,
    textAlign: 'center',
  },
  dragging: { border: `${tokens.strokeWidthThick} dashed ${tokens.colorBrandStroke1}`, backgroundColor: tokens.colorBrandBackground2 },
  hidden: { display: 'none' },
  rows: { maxHeight: '40vh', overflowY: 'auto' },
});

export interface ImportDialogProps {
  api: PortalApi;
  open: boolean;
  title: string;
  /** The job kind the import runs (for its outcomes in words). */
  kind: string;
  /** What the file holds, said under the drop zone. */
  hint: string;
  preview(file: File): Promise<ImportPreview>;
  start(file: File): Promise<ImportStarted>;
  /** The job moved on (a batch landed) or ended: the list behind the dialog is out of date. */
  onProgress(): void;
  onClose(): void;
  /** A job the dialog shows at once (opened from the Jobs list). */
  jobPollMs?: number;
}

type Step =
  | { name: 'pick' }
  | { name: 'checking'; file: File }
  | { name: 'checked'; file: File; preview: ImportPreview }
  | { name: 'starting'; file: File; preview: ImportPreview }
  | { name: 'running'; file: File; started: ImportStarted };

/**
 * Import from a CSV file: pick or drop it, see what the import would do (the
 * API's dry run: counts by outcome and the first rows that would fail), then
 * Import, which starts a job followed here with a progress bar and Cancel.
 * Closing the dialog leaves the job running (the Jobs list shows it).
 */
export function ImportDialog({ api, open, title, kind, hint, preview, start, onProgress, onClose, jobPollMs }: ImportDialogProps) {
  const styles = useStyles();
  const [step, setStep] = useState<Step>({ name: 'pick' });
  const [failure, setFailure] = useState<unknown>();
  const [dragging, setDragging] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (!open) return;
    setStep({ name: 'pick' });
    setFailure(undefined);
  }, [open]);

  const check = (file: File | undefined) => {
    if (!file) return;
    setFailure(undefined);
    setStep({ name: 'checking', file });
    preview(file).then(
      (answer) => setStep((current) => (current.name === 'checking' && current.file === file ? { name: 'checked', file, preview: answer } : current)),
      (error: unknown) => {
        setFailure(error);
        setStep({ name: 'pick' });
      },
    );
  };

  const importFile = () => {
    if (step.name !== 'checked') return;
    const { file, preview: checked } = step;
    setFailure(undefined);
    setStep({ name: 'starting', file, preview: checked });
    start(file).then(
      (started) => setStep({ name: 'running', file, started }),
      (error: unknown) => {
        // Nothing started: the checked file stays, to try again.
        setFailure(error);
        setStep({ name: 'checked', file, preview: checked });
      },
    );
  };

  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    check(event.dataTransfer.files[0]);
  };

  if (step.name === 'running') {
    return (
      <FollowedJobDialog
        api={api}
        open={open}
        title={title}
        started={step.started.job}
        intro={importText}
        outcomeText={outcomeTextOf(kind)}
        onProgress={onProgress}
        onClose={onClose}
        pollMs={jobPollMs}
      />
    );
  }

  const checked = step.name === 'checked' || step.name === 'starting' ? step.preview : undefined;
  return (
    <DialogShell
      open={open}
      title={title}
      onDismiss={onClose}
      error={failure}
      actions={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button
            appearance="primary"
            disabled={!checked || step.name === 'starting' || checked.total === 0}
            icon={step.name === 'starting' ? <Spinner size="tiny" aria-label="Starting the import" /> : undefined}
            onClick={importFile}
          >
            {checked ? `Import ${checked.total.toLocaleString()} rows` : 'Import'}
          </Button>
        </>
      }
    >
      <div
        className={mergeClasses(styles.drop, dragging && styles.dragging)}
        onDragOver={(event) => {
          event.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
      >
        <Text weight="semibold">{step.name === 'pick' ? 'Drop a CSV file here' : step.file.name}</Text>
        <Text size={200}>{hint}</Text>
        <input
          ref={input}
          className={styles.hidden}
          type="file"
          accept=".csv,text/csv"
          aria-label="CSV file"
          onChange={(event) => {
            check(event.target.files?.[0]);
            // Picking the same file again (after fixing it) is a change too.
            event.target.value = '';
          }}
        />
        <Button onClick={() => input.current?.click()} disabled={step.name === 'checking' || step.name === 'starting'}>
          {step.name === 'pick' ? 'Choose file' : 'Choose another file'}
        </Button>
      </div>
      {step.name === 'checking' && <Spinner size="small" label="Checking the file…" />}
      {checked && <PreviewOf kind={kind} preview={checked} />}
    </DialogShell>
  );
}

/** The dry run's answer: the counts, the columns left out, and the first rows that would fail. */
function PreviewOf({ kind, preview }: { kind: string; preview: ImportPreview }) {
  const styles = useStyles();
  const text = outcomeTextOf(kind);
  const success = successOf(kind);
  const failing = preview.total - (success ? (preview.summary[success] ?? 0) : 0);
  return (
    <>
      <Text role="status">
        {`${preview.total.toLocaleString()} rows. If you import now: ${outcomeSummary(kind, preview.summary)}.`}
      </Text>
      {preview.ignoredColumns.length > 0 && (
        <Text size={200}>{`Columns not imported: ${preview.ignoredColumns.join(', ')}.`}</Text>
      )}
      {preview.accountsNotChecked !== undefined && (
        <Text size={200}>
          {`${plural(preview.accountsNotChecked, 'row')} not checked with the carrier's backend in this preview; the import checks every row.`}
        </Text>
      )}
      {preview.failures.length > 0 && (
        <div className={styles.rows}>
          <DataTable
            label={
              failing > preview.failures.length
                ? `The first ${preview.failures.length} of ${failing.toLocaleString()} rows that would not be imported`
                : 'Rows that would not be imported'
            }
            columns={['Line', 'Value', 'Outcome', 'Reason']}
            items={preview.failures}
            rowKey={(row) => row.line}
            cells={(row) => [row.line.toLocaleString(), row.input, text[row.outcome] ?? row.outcome, row.message]}
          />
        </div>
      )}
    </>
  );
}

function importText(job: JobView): string {
  const name = job.fileName ? ` of ${job.fileName}` : '';
  return `The ${job.total.toLocaleString()} rows${name} are imported by a job, in batches.`;
}
