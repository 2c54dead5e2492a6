import { Text } from '@fluentui/react-components';
import type { FormEvent } from 'react';
import type { TeamsOperationView } from '../api/portal-api';
import { DialogShell } from '../shared/DialogShell';
import { useCoManagementRequest, type CoManagementDialogProps } from './use-dialog-request';

export interface UnassignNumberDialogProps extends CoManagementDialogProps {
  /** Microsoft accepted the unassignment (202): follow the operation. */
  onStarted(operation: TeamsOperationView): void;
}

/** Unassign number: confirms which number leaves which user, then asks Microsoft. */
export function UnassignNumberDialog({ api, customer, user, open, onCancel, onStarted, onRevoked }: UnassignNumberDialogProps) {
  const request = useCoManagementRequest({ open, onCancel, onRevoked });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (request.sending || !user) return;
    void request.send(() => api.unassignTeamsNumber(customer.id, user.id), onStarted);
  };

  const name = user?.displayName ?? 'the user';
  const number = user?.number ?? 'the number';

  return (
    <DialogShell
      open={open}
      modalType="alert"
      title="Unassign number"
      onDismiss={request.cancel}
      onSubmit={submit}
      confirmLabel="Unassign"
      busy={request.sending}
      busyLabel="Asking Microsoft to unassign the number"
      error={request.failure}
    >
      <Text>
        Unassign {number} from {name}?
      </Text>
      <Text>
        Microsoft removes the number from {name} in Teams: calls to {number} no longer reach them, and the number is
        free to assign again.
      </Text>
    </DialogShell>
  );
}
