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
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { CustomerView, PortalApi, TeamsOperationView, TeamsUserView } from '../api/portal-api';
import { ErrorBar } from '../shared/ErrorBar';
import { isCoManagementOff } from './co-management';

const useStyles = makeStyles({
  content: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
});

export interface UnassignNumberDialogProps {
  api: PortalApi;
  customer: CustomerView;
  /** The user whose number goes, fixed when the dialog opens. */
  user: TeamsUserView | undefined;
  open: boolean;
  onCancel(): void;
  /** Microsoft accepted the unassignment (202): follow the operation. */
  onStarted(operation: TeamsOperationView): void;
  /** The customer switched co-management off. */
  onRevoked(error: unknown): void;
}

/** Unassign number: confirms which number leaves which user, then asks Microsoft. */
export function UnassignNumberDialog({ api, customer, user, open, onCancel, onStarted, onRevoked }: UnassignNumberDialogProps) {
  const styles = useStyles();
  const [failure, setFailure] = useState<unknown>();
  const [sending, setSending] = useState(false);
  const session = useRef(0);

  useEffect(() => {
    if (!open) return;
    session.current += 1;
    setFailure(undefined);
    setSending(false);
  }, [open]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (sending || !user) return;
    const mine = session.current;
    setFailure(undefined);
    setSending(true);
    try {
      const operation = await api.unassignTeamsNumber(customer.id, user.id);
      if (mine !== session.current) return;
      setSending(false);
      onStarted(operation);
    } catch (error) {
      if (mine !== session.current) return;
      setSending(false);
      if (isCoManagementOff(error)) onRevoked(error);
      else setFailure(error);
    }
  };

  const cancel = () => {
    if (sending) return;
    session.current += 1;
    onCancel();
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
