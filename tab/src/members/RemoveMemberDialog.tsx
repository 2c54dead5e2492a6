import { Text } from '@fluentui/react-components';
import type { FormEvent } from 'react';
import type { MemberView, PortalApi } from '../api/portal-api';
import { DialogShell } from '../shared/DialogShell';
import { useDialogRequest } from '../shared/use-dialog-request';
import { memberLabel } from './member-texts';

export interface RemoveMemberDialogProps {
  api: PortalApi;
  member?: MemberView;
  /** The partner's rule for new members: whether the removed member could sign in again as a Viewer. */
  newMembers?: 'viewer' | 'none';
  open: boolean;
  onCancel(): void;
  onRemoved(member: MemberView): void;
}

/** Remove member: confirms, and says what the removed member can still do. */
export function RemoveMemberDialog({ api, member, newMembers, open, onCancel, onRemoved }: RemoveMemberDialogProps) {
  const request = useDialogRequest({ open, onCancel });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (request.sending || !member) return;
    void request.send(() => api.removeMember(member.oid), () => onRemoved(member));
  };

  const label = member ? memberLabel(member) : 'the member';
  return (
    <DialogShell
      open={open}
      modalType="alert"
      title="Remove member"
      onDismiss={request.cancel}
      onSubmit={submit}
      confirmLabel="Remove"
      busy={request.sending}
      busyLabel="Removing the member"
      error={request.failure}
    >
      <Text>Remove {label} from the portal?</Text>
      <Text>
        {newMembers === 'none'
          ? `From their next request ${label} can no longer use the portal, until an admin adds them again.`
          : `From their next request ${label} loses their role; signing in again makes them a Viewer, as the rule for new members says.`}
      </Text>
    </DialogShell>
  );
}
