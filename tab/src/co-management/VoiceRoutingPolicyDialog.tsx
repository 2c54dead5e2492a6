import { Combobox, Field, Option, Text } from '@fluentui/react-components';
import { useState, type FormEvent } from 'react';
import { ApiError, type TeamsUserView } from '../api/portal-api';
import { DialogShell } from '../shared/DialogShell';
import { ErrorBar } from '../shared/ErrorBar';
import { useCoManagementRequest, type CoManagementDialogProps } from './use-dialog-request';

export interface VoiceRoutingPolicyDialogProps extends CoManagementDialogProps {
  /** The policy is set: the user as Microsoft has it now. */
  onSaved(user: TeamsUserView): void;
}

/**
 * Voice routing policy: a name picked from the policies already in use in the
 * tenant, or typed (Microsoft has no list of them for us); the API says when
 * the tenant has no policy of that name.
 */
export function VoiceRoutingPolicyDialog({ api, customer, user, open, onCancel, onSaved, onRevoked }: VoiceRoutingPolicyDialogProps) {
  const [text, setText] = useState('');
  const [missing, setMissing] = useState(false);
  const request = useCoManagementRequest({
    open,
    onCancel,
    onRevoked,
    // The user is fixed while the dialog is open.
    onOpen: () => {
      setText(user?.voiceRoutingPolicy ?? '');
      setMissing(false);
    },
    loadChoices: () => api.listVoiceRoutingPolicies(customer.id),
  });
  const { sending, failure, clearFailure } = request;
  const names = request.choices?.names;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (sending || !user) return;
    const name = text.trim();
    if (!name) {
      setMissing(true);
      return;
    }
    void request.send(() => api.setVoiceRoutingPolicy(customer.id, user.id, name), onSaved);
  };

  const atField = failure instanceof ApiError ? failure.fieldMessage('name') : undefined;
  const fieldProblem = atField ?? (missing ? 'Type or pick a policy name' : undefined);
  const typed = text.trim().toLowerCase();
  const matching = (names ?? []).filter((name) => !typed || name.toLowerCase().includes(typed) || name === text);
  const who = user?.displayName ?? 'the user';
  const edited = () => {
    setMissing(false);
    clearFailure();
  };

  return (
    <DialogShell
      open={open}
      title={`Voice routing policy of ${who}`}
      onDismiss={request.cancel}
      onSubmit={submit}
      noValidate
      confirmLabel="Save"
      busy={sending}
      busyLabel="Setting the policy at Microsoft"
      // A field problem is shown on the field; anything else above it.
      error={atField ? undefined : failure}
    >
      <Text>Now: {user?.voiceRoutingPolicy ?? 'the organisation-wide default (Global)'}.</Text>
      {request.choicesFailure !== undefined && <ErrorBar error={request.choicesFailure} onRetry={request.reloadChoices} />}
      <Field
        label="Voice routing policy"
        required
        hint={
          names === undefined
            ? 'Loading the policies in use…'
            : names.length > 0
              ? 'Pick a policy already in use in the tenant, or type the name of another one.'
              : 'No user of the tenant has a policy yet: type the name of one.'
        }
        validationState={fieldProblem ? 'error' : 'none'}
        validationMessage={fieldProblem}
      >
        <Combobox
          freeform
          placeholder="Policy name"
          value={text}
          selectedOptions={names?.includes(text) ? [text] : []}
          disabled={sending}
          onChange={(event) => {
            setText(event.target.value);
            edited();
          }}
          onOptionSelect={(_, data) => {
            if (data.optionText !== undefined) setText(data.optionText);
            edited();
          }}
        >
          {matching.map((name) => (
            <Option key={name} value={name}>
              {name}
            </Option>
          ))}
        </Combobox>
      </Field>
    </DialogShell>
  );
}
