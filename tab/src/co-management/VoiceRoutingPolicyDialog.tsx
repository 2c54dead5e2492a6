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
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { ApiError, type CustomerView, type PortalApi, type TeamsUserView } from '../api/portal-api';
import { ErrorBar } from '../shared/ErrorBar';
import { isCoManagementOff } from './co-management';

const useStyles = makeStyles({
  content: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
});

export interface VoiceRoutingPolicyDialogProps {
  api: PortalApi;
  customer: CustomerView;
  /** The user, fixed when the dialog opens. */
  user: TeamsUserView | undefined;
  open: boolean;
  onCancel(): void;
  /** The policy is set: the user as Microsoft has it now. */
  onSaved(user: TeamsUserView): void;
  /** The customer switched co-management off. */
  onRevoked(error: unknown): void;
}

/**
 * Voice routing policy: a name picked from the policies already in use in the
 * tenant, or typed (Microsoft has no list of them for us); the API says when
 * the tenant has no policy of that name.
 */
export function VoiceRoutingPolicyDialog({ api, customer, user, open, onCancel, onSaved, onRevoked }: VoiceRoutingPolicyDialogProps) {
  const styles = useStyles();
  const [names, setNames] = useState<string[]>();
  const [loadFailure, setLoadFailure] = useState<unknown>();
  const [text, setText] = useState('');
  const [failure, setFailure] = useState<unknown>();
  const [missing, setMissing] = useState(false);
  const [sending, setSending] = useState(false);
  const session = useRef(0);

  const load = useCallback(() => {
    const mine = session.current;
    setNames(undefined);
    setLoadFailure(undefined);
    api.listVoiceRoutingPolicies(customer.id).then(
      (answer) => mine === session.current && setNames(answer.names),
      (error: unknown) => {
        if (mine !== session.current) return;
        if (isCoManagementOff(error)) onRevoked(error);
        else setLoadFailure(error);
      },
    );
  }, [api, customer.id, onRevoked]);

  useEffect(() => {
    if (!open) return;
    session.current += 1;
    setText(user?.voiceRoutingPolicy ?? '');
    setFailure(undefined);
    setMissing(false);
    setSending(false);
    load();
    // Only a new opening resets the dialog (the user is fixed while it is open).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [open]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (sending || !user) return;
    const name = text.trim();
    if (!name) {
      setMissing(true);
      return;
    }
    const mine = session.current;
    setFailure(undefined);
    setSending(true);
    try {
      const saved = await api.setVoiceRoutingPolicy(customer.id, user.id, name);
      if (mine !== session.current) return;
      setSending(false);
      onSaved(saved);
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
              {loadFailure !== undefined && <ErrorBar error={loadFailure} onRetry={load} />}
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
                    setFailure(undefined);
                  }}
                  onOptionSelect={(_, data) => {
                    if (data.optionText !== undefined) setText(data.optionText);
                    setMissing(false);
                    setFailure(undefined);
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
