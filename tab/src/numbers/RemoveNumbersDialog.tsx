import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Spinner,
  Switch,
  Text,
  makeStyles,
  tokens,
  useId,
} from '@fluentui/react-components';
import { customerLabel } from '../../../api/customers/customer-label';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { CustomerView, PortalApi, RemoveNumbersResult } from '../api/portal-api';
import { ErrorBar } from '../shared/ErrorBar';
import { plural } from '../shared/format';

export const DELETE_LABEL = 'Delete the numbers from the backend';
export const RETAIN_LABEL = 'Keep the numbers in the backend (only detach them)';

const useStyles = makeStyles({
  content: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  list: {
    margin: 0,
    maxHeight: '30vh',
    overflowY: 'auto',
    paddingLeft: tokens.spacingHorizontalXXL,
    fontFamily: tokens.fontFamilyMonospace,
  },
});

export interface RemoveNumbersDialogProps {
  api: PortalApi;
  customer: CustomerView;
  /** The selected numbers, in E.164. */
  numbers: string[];
  open: boolean;
  onCancel(): void;
  onRemoved(result: RemoveNumbersResult): void;
  /** The dialog has closed and left the page (its closing motion is over): focus can move. */
  onClosed?(): void;
}

/**
 * Remove: confirms the selected numbers and asks whether the backend deletes
 * them or keeps them (only detached from the customer). Keeping is the
 * default, so nothing is deleted by accident.
 */
export function RemoveNumbersDialog({
  api,
  customer,
  numbers,
  open,
  onCancel,
  onRemoved,
  onClosed,
}: RemoveNumbersDialogProps) {
  const styles = useStyles();
  const [deleteFromBackend, setDeleteFromBackend] = useState(false);
  const [failure, setFailure] = useState<unknown>();
  const [sending, setSending] = useState(false);
  const session = useRef(0);
  const questionId = useId('remove-numbers-question-');

  useEffect(() => {
    if (!open) return;
    session.current += 1;
    setDeleteFromBackend(false);
    setFailure(undefined);
    setSending(false);
  }, [open]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (sending || numbers.length === 0) return;
    const mine = session.current;
    setFailure(undefined);
    setSending(true);
    try {
      const result = await api.removeNumbers(customer.id, numbers, deleteFromBackend ? 'delete' : 'retain');
      if (mine !== session.current) return;
      setSending(false);
      onRemoved(result);
    } catch (error) {
      if (mine !== session.current) return;
      setSending(false);
      setFailure(error);
    }
  };

  const cancel = () => {
    if (sending) return;
    session.current += 1;
    onCancel();
  };

  const label = customerLabel(customer);

  return (
    <Dialog
      open={open}
      modalType="alert"
      onOpenChange={(_, data) => !data.open && cancel()}
      surfaceMotion={{ onMotionFinish: (_, data) => data.direction === 'exit' && onClosed?.() }}
    >
      <DialogSurface aria-label="Remove numbers">
        <form onSubmit={submit}>
          <DialogBody>
            <DialogTitle>Remove numbers</DialogTitle>
            <DialogContent className={styles.content}>
              {failure !== undefined && <ErrorBar error={failure} />}
              <Text id={questionId}>
                Remove {plural(numbers.length, 'number')} from {label}?
              </Text>
              <ul className={styles.list} aria-labelledby={questionId}>
                {numbers.map((e164) => (
                  <li key={e164}>{e164}</li>
                ))}
              </ul>
              <Switch
                checked={deleteFromBackend}
                disabled={sending}
                label={deleteFromBackend ? DELETE_LABEL : RETAIN_LABEL}
                onChange={(_, data) => setDeleteFromBackend(data.checked)}
              />
              {sending && <Spinner size="tiny" label="Removing the numbers" />}
            </DialogContent>
            <DialogActions>
              <Button appearance="primary" type="submit" disabled={sending}>
                Remove
              </Button>
              <Button disabled={sending} onClick={cancel}>
                Cancel
              </Button>
            </DialogActions>
          </DialogBody>
        </form>
      </DialogSurface>
    </Dialog>
  );
}
