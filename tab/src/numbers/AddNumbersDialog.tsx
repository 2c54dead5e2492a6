import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Field,
  Spinner,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  Textarea,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { customerLabel } from '../../../api/customers/customer-label';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { ApiError, type AddNumbersResult, type AddResult, type CustomerView, type PortalApi } from '../api/portal-api';
import { ErrorBar } from '../shared/ErrorBar';

type Outcome = AddResult['outcome'];

/** Each outcome in words: for a row, and for the summary. */
export const ADD_OUTCOME_TEXT: Record<Outcome, { row: string; summary: string }> = {
  added: { row: 'Added', summary: 'added' },
  'already-present': { row: 'Already present', summary: 'already present' },
  'owned-elsewhere': { row: 'Belongs to another customer', summary: 'owned by another customer' },
  invalid: { row: 'Not a valid number', summary: 'invalid' },
};
const OUTCOMES = Object.keys(ADD_OUTCOME_TEXT) as Outcome[];

const useStyles = makeStyles({
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  results: { maxHeight: '50vh', overflowY: 'auto' },
  summary: { display: 'block', marginBottom: tokens.spacingVerticalS },
  problem: { color: tokens.colorPaletteRedForeground1 },
});

export interface AddNumbersDialogProps {
  api: PortalApi;
  customer: CustomerView;
  open: boolean;
  /** The API answered: the numbers list is out of date. */
  onAdded(result: AddNumbersResult): void;
  onClose(): void;
}

/**
 * Add: one "Numbers" box, one number per line (commas and semicolons work too).
 * The API reads the text; afterwards the dialog shows the outcome of every
 * line. A failed request keeps the text so nothing has to be typed again.
 */
export function AddNumbersDialog({ api, customer, open, onAdded, onClose }: AddNumbersDialogProps) {
  const styles = useStyles();
  const [text, setText] = useState('');
  const [fieldError, setFieldError] = useState<string>();
  const [failure, setFailure] = useState<unknown>();
  const [sending, setSending] = useState(false);
  const [result, setResult] = useState<AddNumbersResult>();
  const textarea = useRef<HTMLTextAreaElement>(null);
  const summary = useRef<HTMLElement>(null);
  // Each opening is a new form; answers to an earlier one are not shown in it.
  const session = useRef(0);

  useEffect(() => {
    if (!open) return;
    session.current += 1;
    setText('');
    setFieldError(undefined);
    setFailure(undefined);
    setSending(false);
    setResult(undefined);
  }, [open]);

  useEffect(() => {
    if (result) summary.current?.focus();
  }, [result]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (sending) return;
    setFailure(undefined);
    if (text.trim() === '') {
      setFieldError('Enter at least one number.');
      textarea.current?.focus();
      return;
    }
    setFieldError(undefined);
    const mine = session.current;
    setSending(true);
    try {
      const answer = await api.addNumbers(customer.id, text);
      if (mine !== session.current) return;
      setSending(false);
      setResult(answer);
      onAdded(answer);
    } catch (error) {
      if (mine !== session.current) return;
      setSending(false);
      const atField = fieldMessageOf(error);
      if (atField) setFieldError(atField);
      else setFailure(error);
      textarea.current?.focus();
    }
  };

  const close = () => {
    if (sending) return;
    session.current += 1;
    onClose();
  };

  const title = `Add numbers to ${customerLabel(customer)}`;

  return (
    <Dialog open={open} modalType="modal" onOpenChange={(_, data) => !data.open && close()}>
      <DialogSurface aria-label={title}>
        {result ? (
          <DialogBody>
            <DialogTitle>{title}</DialogTitle>
            <DialogContent>
              <Text ref={summary} tabIndex={-1} role="status" weight="semibold" className={styles.summary}>
                {addSummary(result)}
              </Text>
              {result.results.length > 0 && (
                <div className={styles.results}>
                  <Table aria-label="Outcome of every line" size="small">
                    <TableHeader>
                      <TableRow>
                        <TableHeaderCell>Input</TableHeaderCell>
                        <TableHeaderCell>Number</TableHeaderCell>
                        <TableHeaderCell>Outcome</TableHeaderCell>
                        <TableHeaderCell>Reason</TableHeaderCell>
                      </TableRow>
                    </TableHeader>
                    <TableBody>
                      {result.results.map((line, index) => (
                        <TableRow key={index}>
                          <TableCell>{line.input}</TableCell>
                          <TableCell>{line.e164 ?? ''}</TableCell>
                          <TableCell className={line.outcome === 'added' ? undefined : styles.problem}>
                            {ADD_OUTCOME_TEXT[line.outcome]?.row ?? line.outcome}
                          </TableCell>
                          <TableCell>{line.reason ?? ''}</TableCell>
                        </TableRow>
                      ))}
                    </TableBody>
                  </Table>
                </div>
              )}
            </DialogContent>
            <DialogActions>
              <Button appearance="primary" onClick={close}>
                Done
              </Button>
            </DialogActions>
          </DialogBody>
        ) : (
          <form onSubmit={submit} noValidate>
            <DialogBody>
              <DialogTitle>{title}</DialogTitle>
              <DialogContent className={styles.form}>
                {failure !== undefined && <ErrorBar error={failure} />}
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
                {sending && <Spinner size="tiny" label="Adding the numbers" />}
              </DialogContent>
              <DialogActions>
                <Button appearance="primary" type="submit" disabled={sending}>
                  Add
                </Button>
                <Button disabled={sending} onClick={close}>
                  Cancel
                </Button>
              </DialogActions>
            </DialogBody>
          </form>
        )}
      </DialogSurface>
    </Dialog>
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
