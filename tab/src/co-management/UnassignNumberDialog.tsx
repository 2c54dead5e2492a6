import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Spinner,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import type { FormEvent } from 'react';
import type { TeamsOperationView } from '../api/portal-api';
import { ErrorBar } from '../shared/ErrorBar';
import { useDialogRequest, type CoManagementDialogProps } from './use-dialog-request';

const useStyles = makeStyles({
  content: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
});

export interface UnassignNumberDialogProps extends CoManagementDialogProps {
  /** Microsoft accepted the unassignment (202): follow the operation. */
  onStarted(operation: TeamsOperationView): void;
}

/** Unassign number: confirms which number leaves which user, then asks Microsoft. */
export function UnassignNumberDialog({ api, customer, user, open, onCancel, onStarted, onRevoked }: UnassignNumberDialogProps) {
  const styles = useStyles();
  const request = useDialogRequest({ open, onCancel, onRevoked });
  const { sending, failure, cancel } = request;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (sending || !user) return;
    void request.send(() => api.unassignTeamsNumber(customer.id, user.id), onStarted);
  };

  const name = user?.displayName ?? 'the user';
  const number = user?.number ?? 'the number';

  return (
    <Dialog open={open} modalType="alert" onOpenChange={(_, data) => !data.open && cancel()}>
      <DialogSurface aria-label="Unassign number">
        <form onSubmit={submit}>
          <DialogBody>
            <DialogTitle>Unassign number</DialogTitle>
            <DialogContent className={styles.content}>
              {failure !== undefined && <ErrorBar error={failure} />}
              <Text>
                Unassign {number} from {name}?
              </Text>
              <Text>
                Microsoft removes the number from {name} in Teams: calls to {number} no longer reach them, and the number
                is free to assign again.
              </Text>
              {sending && <Spinner size="tiny" label="Asking Microsoft to unassign the number" />}
            </DialogContent>
            <DialogActions>
              <Button appearance="primary" type="submit" disabled={sending}>
                Unassign
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
