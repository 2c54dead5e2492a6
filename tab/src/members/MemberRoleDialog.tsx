import { Field, Input, Radio, RadioGroup, Text } from '@fluentui/react-components';
import { useState, type FormEvent } from 'react';
import { ApiError, type MemberRole, type MemberView, type PortalApi } from '../api/portal-api';
import { DialogShell } from '../shared/DialogShell';
import { roleText } from '../shared/labels';
import { useDialogRequest } from '../shared/use-dialog-request';
import { memberLabel } from './member-texts';

const ROLE_HINT: Record<MemberRole, string> = {
  viewer: 'Reads everything of the partner: customers, numbers, sync runs, Teams users, the audit.',
  operator: 'Viewer, and changes customers and numbers, syncs, co-manages Teams users, sends activation links.',
  admin: 'Operator, and manages the members and the partner settings.',
};

export interface MemberRoleDialogProps {
  api: PortalApi;
  /** The member whose role changes; none: a new member is added. */
  member?: MemberView;
  open: boolean;
  onCancel(): void;
  onSaved(member: MemberView): void;
}

/** Add member (object id, name, role) or Change role (the role only). */
export function MemberRoleDialog({ api, member, open, onCancel, onSaved }: MemberRoleDialogProps) {
  const [role, setRole] = useState<MemberRole>('viewer');
  const [oid, setOid] = useState('');
  const [name, setName] = useState('');
  const [missing, setMissing] = useState(false);
  const request = useDialogRequest({
    open,
    onCancel,
    onOpen: () => {
      setRole(member?.role ?? 'viewer');
      setOid('');
      setName('');
      setMissing(false);
    },
  });
  const adding = !member;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (request.sending) return;
    const target = member?.oid ?? oid.trim();
    if (!target) {
      setMissing(true);
      return;
    }
    void request.send(() => api.setMemberRole(target, role, adding ? name.trim() || undefined : undefined), onSaved);
  };

  const fieldProblem = (field: string) => (request.failure instanceof ApiError ? request.failure.fieldMessage(field) : undefined);

  return (
    <DialogShell
      open={open}
      title={adding ? 'Add member' : `Change role of ${memberLabel(member)}`}
      onDismiss={request.cancel}
      onSubmit={submit}
      noValidate
      confirmLabel={adding ? 'Add' : 'Save'}
      busy={request.sending}
      busyLabel={adding ? 'Adding the member' : 'Changing the role'}
      error={request.failure}
    >
      {adding && (
        <>
          <Text>
            Name a user of your Microsoft 365 tenant by their Entra object ID (Microsoft Entra admin center, Users, the
            user, Object ID). The role applies from their next request.
          </Text>
          <Field
            label="Object ID"
            required
            validationMessage={missing ? 'Enter the object ID of the user.' : fieldProblem('oid')}
          >
            <Input value={oid} maxLength={100} onChange={(_, data) => setOid(data.value)} />
          </Field>
          <Field label="Name" hint="Shown here until they sign in; then their name from Microsoft 365." validationMessage={fieldProblem('name')}>
            <Input value={name} maxLength={200} onChange={(_, data) => setName(data.value)} />
          </Field>
        </>
      )}
      <Field label="Role">
        <RadioGroup value={role} onChange={(_, data) => setRole(data.value as MemberRole)}>
          {(['viewer', 'operator', 'admin'] as const).map((choice) => (
            <Radio key={choice} value={choice} label={`${roleText(choice)}: ${ROLE_HINT[choice]}`} />
          ))}
        </RadioGroup>
      </Field>
    </DialogShell>
  );
}
