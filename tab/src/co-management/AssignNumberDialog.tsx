import { Combobox, Field, MessageBar, MessageBarBody, MessageBarTitle, Option, Spinner, Text } from '@fluentui/react-components';
import { useState, type FormEvent } from 'react';
import { ApiError, type TeamsOperationView } from '../api/portal-api';
import { DialogShell } from '../shared/DialogShell';
import { ErrorBar } from '../shared/ErrorBar';
import { customerLabel } from './co-management';
import { useCoManagementRequest, type CoManagementDialogProps } from './use-dialog-request';

/** Options listed at once; typing narrows the rest. */
const OPTIONS_SHOWN = 100;

export interface AssignNumberDialogProps extends CoManagementDialogProps {
  /** Microsoft accepted the assignment (202): follow the operation. */
  onStarted(operation: TeamsOperationView): void;
}

/**
 * Assign number: one of the customer's numbers that are synced and free in
 * Teams, picked from a list that typing narrows. Microsoft then does the
 * assignment; the view follows it.
 */
export function AssignNumberDialog({ api, customer, user, open, onCancel, onStarted, onRevoked }: AssignNumberDialogProps) {
  const [text, setText] = useState('');
  const [chosen, setChosen] = useState<string>();
  const [missing, setMissing] = useState(false);
  const request = useCoManagementRequest({
    open,
    onCancel,
    onRevoked,
    onOpen: () => {
      setText('');
      setChosen(undefined);
      setMissing(false);
    },
    loadChoices: () => api.listAssignableNumbers(customer.id),
  });
  const { sending, failure } = request;
  const numbers = request.choices?.numbers;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (sending || !user) return;
    if (!chosen) {
      setMissing(true);
      return;
    }
    void request.send(() => api.assignTeamsNumber(customer.id, user.id, chosen), onStarted);
  };

  const digits = text.replace(/\D/g, '');
  const matching = (numbers ?? []).filter((e164) => text === chosen || !digits || e164.includes(digits));
  const shown = matching.slice(0, OPTIONS_SHOWN);
  const fieldProblem =
    (failure instanceof ApiError ? failure.fieldMessage('telephoneNumber') : undefined) ??
    (missing ? 'Pick one of the numbers' : undefined);
  const name = user?.displayName ?? 'the user';
  const label = customerLabel(customer);

  return (
    <DialogShell
      open={open}
      title={`Assign a number to ${name}`}
      onDismiss={request.cancel}
      onSubmit={submit}
      noValidate
      confirmLabel="Assign"
      confirmDisabled={!numbers || numbers.length === 0}
      busy={sending}
      busyLabel="Asking Microsoft to assign the number"
      error={failure}
    >
      {user?.number && (
        <Text>
          {name} has {user.number} in Teams now. The number you pick replaces it, and {user.number} becomes free.
        </Text>
      )}
      {numbers === undefined && request.choicesFailure === undefined && <Spinner size="tiny" label="Loading the numbers you can assign" />}
      {request.choicesFailure !== undefined && <ErrorBar error={request.choicesFailure} onRetry={request.reloadChoices} />}
      {numbers !== undefined && numbers.length === 0 && (
        <MessageBar intent="info" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>No number to assign</MessageBarTitle>
            {label} has no synced number that is free in Teams. Add numbers to {label} (Phone Numbers, Add) and sync it,
            then try again.
          </MessageBarBody>
        </MessageBar>
      )}
      {numbers !== undefined && numbers.length > 0 && (
        <Field
          label="Number"
          required
          hint={`${numbers.length.toLocaleString()} synced ${numbers.length === 1 ? 'number is' : 'numbers are'} free in Teams. Type digits to narrow the list.`}
          validationState={fieldProblem ? 'error' : 'none'}
          validationMessage={fieldProblem}
        >
          <Combobox
            placeholder="Pick or type part of a number"
            value={text}
            selectedOptions={chosen ? [chosen] : []}
            disabled={sending}
            onChange={(event) => {
              setText(event.target.value);
              setChosen(undefined);
            }}
            onOptionSelect={(_, data) => {
              setChosen(data.optionValue);
              setText(data.optionText ?? '');
              setMissing(false);
            }}
          >
            {shown.map((e164) => (
              <Option key={e164} value={e164}>
                {e164}
              </Option>
            ))}
            {matching.length === 0 && (
              <Option disabled value="" text="">
                No free number matches
              </Option>
            )}
            {matching.length > shown.length && (
              <Option disabled value="" text="">
                {`${(matching.length - shown.length).toLocaleString()} more: type more digits`}
              </Option>
            )}
          </Combobox>
        </Field>
      )}
    </DialogShell>
  );
}
