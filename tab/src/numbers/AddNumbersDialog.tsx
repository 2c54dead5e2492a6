import { Button, Field, Text, Textarea, makeStyles, tokens } from '@fluentui/react-components';
import { customerLabel } from '../../../api/customers/customer-label';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { ApiError, type AddNumbersResult, type AddResult, type CustomerView, type JobView, type PortalApi } from '../api/portal-api';
import { FollowedJobDialog } from '../jobs/FollowedJobDialog';
import { DialogShell } from '../shared/DialogShell';
import { DataTable } from '../shared/DataTable';
import { useDialogRequest } from '../shared/use-dialog-request';

type Outcome = AddResult['outcome'];

/** Each outcome in words: for a row, and for the summary. */
export const ADD_OUTCOME_TEXT: Record<Outcome, { row: string; summary: string }> = {
  added: { row: 'Added', summary: 'added' },
  'already-present': { row: 'Already present', summary: 'already present' },
  'owned-elsewhere': { row: 'Belongs to another customer', summary: 'owned by another customer' },
  invalid: { row: 'Not a valid number', summary: 'invalid' },
};
const OUTCOMES = Object.keys(ADD_OUTCOME_TEXT) as Outcome[];
const OUTCOME_COLUMN = 2;

const useStyles = makeStyles({
  results: { maxHeight: '50vh', overflowY: 'auto' },
  summary: { display: 'block', marginBottom: tokens.spacingVerticalS },
  problem: { color: tokens.colorPaletteRedForeground1 },
});

export interface AddNumbersDialogProps {
  api: PortalApi;
  customer: CustomerView;
  open: boolean;
  /** Numbers were added (or a job adding them moved on): the numbers list is out of date. */
  onAdded(): void;
  onClose(): void;
  /** How often a job is read again (tests pass a short one). */
  jobPollMs?: number;
}

/** The add outcomes in the words of a summary, for a job's counts. */
const OUTCOME_SUMMARY = Object.fromEntries(Object.entries(ADD_OUTCOME_TEXT).map(([outcome, text]) => [outcome, text.summary]));

/**
 * Add: one "Numbers" box, one number per line (commas and semicolons work too).
 * The API reads the text; afterwards the dialog shows the outcome of every
 * line. A failed request keeps the text so nothing has to be typed again.
 */
export function AddNumbersDialog({ api, customer, open, onAdded, onClose, jobPollMs }: AddNumbersDialogProps) {
  const styles = useStyles();
  const [text, setText] = useState('');
  const [fieldError, setFieldError] = useState<string>();
  const [result, setResult] = useState<AddNumbersResult>();
  const [job, setJob] = useState<JobView>();
  const textarea = useRef<HTMLTextAreaElement>(null);
  const summary = useRef<HTMLElement>(null);
  const request = useDialogRequest({
    open,
    onCancel: onClose,
    onOpen: () => {
      setText('');
      setFieldError(undefined);
      setResult(undefined);
      setJob(undefined);
    },
  });
  const { sending } = request;

  useEffect(() => {
    if (result) summary.current?.focus();
  }, [result]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (sending) return;
    request.clearFailure();
    if (text.trim() === '') {
      setFieldError('Enter at least one number.');
      textarea.current?.focus();
      return;
    }
    setFieldError(undefined);
    void request.send(
      () => api.addNumbers(customer.id, text),
      (answer) => {
        if ('job' in answer) setJob(answer.job);
        else setResult(answer);
        onAdded();
      },
      (error) => {
        const atField = fieldMessageOf(error);
        if (atField) setFieldError(atField);
        else request.showFailure(error);
        textarea.current?.focus();
      },
    );
  };

  const title = `Add numbers to ${customerLabel(customer)}`;

  if (job) {
    return (
      <FollowedJobDialog
        api={api}
        open={open}
        title={title}
        started={job}
        intro={(followed) => `${followed.total.toLocaleString()} numbers are added by a job, in batches: the list shows each batch as it lands.`}
        outcomeText={OUTCOME_SUMMARY}
        onProgress={onAdded}
        onClose={request.cancel}
        pollMs={jobPollMs}
      />
    );
  }

  if (result) {
    return (
      <DialogShell
        open={open}
        title={title}
        onDismiss={request.cancel}
        stacked={false}
        actions={
          <Button appearance="primary" onClick={request.cancel}>
            Done
          </Button>
        }
      >
        <Text ref={summary} tabIndex={-1} role="status" weight="semibold" className={styles.summary}>
          {addSummary(result)}
        </Text>
        {result.results.length > 0 && (
          <div className={styles.results}>
            <DataTable
              label="Outcome of every line"
              columns={['Input', 'Number', 'Outcome', 'Reason']}
              items={result.results}
              rowKey={(_, index) => index}
              cells={(line) => [line.input, line.e164 ?? '', ADD_OUTCOME_TEXT[line.outcome]?.row ?? line.outcome, line.reason ?? '']}
              cellClassName={(line, column) =>
                column === OUTCOME_COLUMN && line.outcome !== 'added' ? styles.problem : undefined
              }
            />
          </div>
        )}
      </DialogShell>
    );
  }
  return (
    <DialogShell
      open={open}
      title={title}
      onDismiss={request.cancel}
      onSubmit={submit}
      noValidate
      confirmLabel="Add"
      busy={sending}
      busyLabel="Adding the numbers"
      error={request.failure}
    >
      <Field
        label="Numbers"
        required
        hint="One number per line. Numbers separated by commas or semicolons work too."
        validationMessage={fieldError}
        validationState={fieldError ? 'error' : 'none'}
      >
        <Textarea
          ref={textarea}
          value={text}
          readOnly={sending}
          rows={8}
          resize="vertical"
          placeholder={'+1 555 010 0100\n+1 555 010 0101'}
          onChange={(_, data) => {
            setText(data.value);
            setFieldError(undefined);
          }}
        />
      </Field>
    </DialogShell>
  );
}

/** "3 added, 1 already present, 2 invalid": every outcome that happened. */
export function addSummary(result: AddNumbersResult): string {
  const parts = OUTCOMES.filter((outcome) => (result.summary[outcome] ?? 0) > 0).map(
    (outcome) => `${result.summary[outcome].toLocaleString()} ${ADD_OUTCOME_TEXT[outcome].summary}`,
  );
  return parts.length > 0 ? parts.join(', ') : 'No numbers were found in the text.';
}

/** A refusal of the input (400): the API's words about the numbers, shown at the field. */
function fieldMessageOf(error: unknown): string | undefined {
  if (!(error instanceof ApiError) || error.status !== 400) return undefined;
  return error.fieldMessage('numbers') ?? error.fields[0]?.message ?? error.message;
}
