import { Switch, Text, makeStyles, tokens, useId } from '@fluentui/react-components';
import { customerLabel } from '../../../api/customers/customer-label';
import { useState, type FormEvent } from 'react';
import type { CustomerView, PortalApi, RemoveNumbersResult } from '../api/portal-api';
import { DialogShell } from '../shared/DialogShell';
import { plural } from '../shared/format';
import { useDialogRequest } from '../shared/use-dialog-request';

export const DELETE_LABEL = 'Delete the numbers from the backend';
export const RETAIN_LABEL = 'Keep the numbers in the backend (only detach them)';

const useStyles = makeStyles({
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
export function RemoveNumbersDialog({ api, customer, numbers, open, onCancel, onRemoved, onClosed }: RemoveNumbersDialogProps) {
  const styles = useStyles();
  const [deleteFromBackend, setDeleteFromBackend] = useState(false);
  const request = useDialogRequest({ open, onCancel, onOpen: () => setDeleteFromBackend(false) });
  const questionId = useId('remove-numbers-question-');

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (request.sending || numbers.length === 0) return;
    void request.send(() => api.removeNumbers(customer.id, numbers, deleteFromBackend ? 'delete' : 'retain'), onRemoved);
  };

  return (
    <DialogShell
      open={open}
      modalType="alert"
      title="Remove numbers"
      onDismiss={request.cancel}
      onSubmit={submit}
      confirmLabel="Remove"
      busy={request.sending}
      busyLabel="Removing the numbers"
      error={request.failure}
      onClosed={onClosed}
    >
      <Text id={questionId}>
        Remove {plural(numbers.length, 'number')} from {customerLabel(customer)}?
      </Text>
      <ul className={styles.list} aria-labelledby={questionId}>
        {numbers.map((e164) => (
          <li key={e164}>{e164}</li>
        ))}
      </ul>
      <Switch
        checked={deleteFromBackend}
        disabled={request.sending}
        label={deleteFromBackend ? DELETE_LABEL : RETAIN_LABEL}
        onChange={(_, data) => setDeleteFromBackend(data.checked)}
      />
    </DialogShell>
  );
}
