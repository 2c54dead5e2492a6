import {
  Button,
  Combobox,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Field,
  Option,
  Spinner,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useEffect, useState, type FormEvent } from 'react';
import { ApiError, type TeamsUserView } from '../api/portal-api';
import { ErrorBar } from '../shared/ErrorBar';
import { useDialogRequest, type CoManagementDialogProps } from './use-dialog-request';

const useStyles = makeStyles({
  content: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
});

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
  const styles = useStyles();
  const [text, setText] = useState('');
  const [missing, setMissing] = useState(false);
  const request = useDialogRequest({ open, onCancel, onRevoked, loadChoices: () => api.listVoiceRoutingPolicies(customer.id) });
  const { sending, failure, clearFailure, cancel } = request;
  const names = request.choices?.names;

  useEffect(() => {
    if (!open) return;
    setText(user?.voiceRoutingPolicy ?? '');
    setMissing(false);
    // Only a new opening resets the dialog (the user is fixed while it is open).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [open]);

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

  const fieldProblem =
    (failure instanceof ApiError ? failure.fieldMessage('name') : undefined) ?? (missing ? 'Type or pick a policy name' : undefined);
  // A field problem is shown on the field; anything else above it.
  const otherFailure = failure !== undefined && !(failure instanceof ApiError && failure.fieldMessage('name')) ? failure : undefined;
  const typed = text.trim().toLowerCase();
  const matching = (names ?? []).filter((name) => !typed || name.toLowerCase().includes(typed) || name === text);
  const who = user?.displayName ?? 'the user';

  return (
    <Dialog open={open} modalType="modal" onOpenChange={(_, data) => !data.open && cancel()}>
      <DialogSurface aria-label={`Voice routing policy of ${who}`}>
        <form onSubmit={submit} noValidate>
          <DialogBody>
            <DialogTitle>Voice routing policy of {who}</DialogTitle>
            <DialogContent className={styles.content}>
              {otherFailure !== undefined && <ErrorBar error={otherFailure} />}
              <Text>
                Now: {user?.voiceRoutingPolicy ?? 'the organisation-wide default (Global)'}.
              </Text>
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
                    setMissing(false);
                    clearFailure();
                  }}
                  onOptionSelect={(_, data) => {
                    if (data.optionText !== undefined) setText(data.optionText);
                    setMissing(false);
                    clearFailure();
                  }}
                >
                  {matching.map((name) => (
                    <Option key={name} value={name}>
                      {name}
                    </Option>
                  ))}
                </Combobox>
              </Field>
              {sending && <Spinner size="tiny" label="Setting the policy at Microsoft" />}
            </DialogContent>
            <DialogActions>
              <Button appearance="primary" type="submit" disabled={sending}>
                Save
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
