import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Radio,
  RadioGroup,
  Spinner,
  Switch,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { customerLabel } from '../../../api/customers/customer-label';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { ApiError, type CreatedCustomer, type CustomerView, type PortalApi, type SeatType } from '../api/portal-api';
import { ErrorBar, messageOf } from '../shared/ErrorBar';
import { useDebounced } from '../shared/use-debounced';

const useStyles = makeStyles({
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  helper: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
    margin: 0,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}`,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
  },
  legend: { padding: `0 ${tokens.spacingHorizontalXS}` },
  suggestion: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalS },
});

/** The form's fields, named as the API names them. */
type FieldName = 'accountId' | 'tenantName' | 'maxChannels' | 'name';
const FIELDS: FieldName[] = ['accountId', 'tenantName', 'maxChannels', 'name'];

interface FormValues {
  accountId: string;
  tenantName: string;
  maxChannels: string;
  name: string;
  syncAfterSave: boolean;
  seatType: SeatType | '';
  seats: string;
}

const EMPTY: FormValues = {
  accountId: '',
  tenantName: '',
  maxChannels: '',
  name: '',
  syncAfterSave: false,
  seatType: '',
  seats: '',
};

type Suggestion = { maxChannels: number; rule: string };

export interface NewCustomerDialogProps {
  api: PortalApi;
  open: boolean;
  onCancel(): void;
  onSaved(customer: CustomerView): void;
}

/**
 * New: Account ID, Office 365 Tenant Name, Max Channels, Name and "Sync after
 * save", with a helper that suggests Max Channels from the seats. The API
 * judges the input; its answer for each field is shown at that field, and a
 * failure keeps everything typed.
 */
export function NewCustomerDialog({ api, open, onCancel, onSaved }: NewCustomerDialogProps) {
  const styles = useStyles();
  const [values, setValues] = useState<FormValues>(EMPTY);
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<FieldName | 'seats', string>>>({});
  const [failure, setFailure] = useState<unknown>();
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState<CreatedCustomer>();
  const inputs = useRef<Partial<Record<FieldName, HTMLInputElement | null>>>({});
  // Each opening is a new form; answers to an earlier one are not shown in it.
  const session = useRef(0);
  const isOpen = useRef(open);

  useEffect(() => {
    isOpen.current = open;
    if (!open) return;
    session.current += 1;
    setValues(EMPTY);
    setFieldErrors({});
    setFailure(undefined);
    setSaving(false);
    setSaved(undefined);
  }, [open]);

  const suggestion = useChannelSuggestion(api, values.seatType, values.seats);

  const set = <K extends keyof FormValues>(key: K, value: FormValues[K]) => {
    setValues((before) => ({ ...before, [key]: value }));
    // A changed field's old complaint no longer applies.
    if (key in fieldErrors) {
      setFieldErrors((before) => {
        const after = { ...before };
        delete after[key as FieldName];
        return after;
      });
    }
  };

  const focusFirst = (errors: Partial<Record<string, string>>) => {
    const first = FIELDS.find((field) => errors[field]);
    if (first) inputs.current[first]?.focus();
  };

  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (saving) return;
    const required: Partial<Record<FieldName, string>> = {};
    if (!values.accountId.trim()) required.accountId = 'Account ID is required';
    if (!values.tenantName.trim()) required.tenantName = 'Office 365 Tenant Name is required';
    if (!values.maxChannels.trim()) required.maxChannels = 'Max Channels is required';
    setFailure(undefined);
    setFieldErrors(required);
    if (Object.keys(required).length > 0) {
      focusFirst(required);
      return;
    }

    const mine = session.current;
    setSaving(true);
    try {
      const created = await api.createCustomer({
        accountId: values.accountId.trim(),
        tenantName: values.tenantName.trim(),
        maxChannels: Number(values.maxChannels),
        ...(values.name.trim() ? { name: values.name.trim() } : {}),
        ...(values.seatType ? { seatType: values.seatType } : {}),
        syncAfterSave: values.syncAfterSave,
      });
      if (mine !== session.current) return;
      setSaving(false);
      // With a sync started, say so before going back to the list; else straight back.
      // Cancelled while saving: the customer exists all the same, so the list shows it.
      if (created.syncRun && isOpen.current) setSaved(created);
      else onSaved(created);
    } catch (error) {
      if (mine !== session.current) return;
      setSaving(false);
      const { atFields, rest } = placeError(error);
      setFieldErrors(atFields);
      setFailure(rest);
      focusFirst(atFields);
    }
  };

  const dismiss = () => (saved ? onSaved(saved) : onCancel());

  const fieldProps = (field: FieldName) => ({
    validationMessage: fieldErrors[field],
    validationState: fieldErrors[field] ? ('error' as const) : ('none' as const),
  });

  return (
    <Dialog open={open} modalType="modal" onOpenChange={(_, data) => !data.open && dismiss()}>
      <DialogSurface aria-label="New customer">
        {saved ? (
          <DialogBody>
            <DialogTitle>New customer</DialogTitle>
            <DialogContent>
              <MessageBar intent="success">
                <MessageBarBody>
                  <MessageBarTitle>Customer {customerLabel(saved)} saved</MessageBarTitle>A sync of its
                  numbers has started (Sync after save). The customers list shows the state of the sync.
                </MessageBarBody>
              </MessageBar>
            </DialogContent>
            <DialogActions>
              <Button appearance="primary" onClick={() => onSaved(saved)}>
                Close
              </Button>
            </DialogActions>
          </DialogBody>
        ) : (
          <form onSubmit={save} noValidate>
            <DialogBody>
              <DialogTitle>New customer</DialogTitle>
              <DialogContent className={styles.form}>
                {failure !== undefined && <ErrorBar error={failure} />}
                <Field label="Account ID" required {...fieldProps('accountId')}>
                  <Input
                    ref={(element) => {
                      inputs.current.accountId = element;
                    }}
                    value={values.accountId}
                    onChange={(_, data) => set('accountId', data.value)}
                    autoComplete="off"
                  />
                </Field>
                <Field
                  label="Office 365 Tenant Name"
                  required
                  hint="The customer's Microsoft 365 tenant, such as contoso.onmicrosoft.com"
                  {...fieldProps('tenantName')}
                >
                  <Input
                    ref={(element) => {
                      inputs.current.tenantName = element;
                    }}
                    value={values.tenantName}
                    onChange={(_, data) => set('tenantName', data.value)}
                    autoComplete="off"
                  />
                </Field>

                <fieldset className={styles.helper}>
                  <legend className={styles.legend}>
                    <Text weight="semibold">Suggest Max Channels from the seats</Text>
                  </legend>
                  <Field label="Seat type">
                    <RadioGroup
                      layout="horizontal"
                      value={values.seatType}
                      onChange={(_, data) => set('seatType', data.value as SeatType)}
                    >
                      <Radio value="unbundled" label="MS Teams unbundled" />
                      <Radio value="bundled" label="MS Teams bundled" />
                    </RadioGroup>
                  </Field>
                  <Field
                    label="Seat count"
                    validationMessage={suggestion.error}
                    validationState={suggestion.error ? 'error' : 'none'}
                  >
                    <Input
                      type="number"
                      min={1}
                      step={1}
                      value={values.seats}
                      onChange={(_, data) => set('seats', data.value)}
                    />
                  </Field>
                  {suggestion.loading && <Spinner size="extra-tiny" label="Working out the suggestion" />}
                  {suggestion.value && (
                    <div className={styles.suggestion} aria-live="polite">
                      <Text>
                        Suggested Max Channels: <strong>{suggestion.value.maxChannels}</strong> ({suggestion.value.rule})
                      </Text>
                      <Button size="small" onClick={() => set('maxChannels', String(suggestion.value?.maxChannels))}>
                        Use {suggestion.value.maxChannels}
                      </Button>
                    </div>
                  )}
                </fieldset>

                <Field
                  label="Max Channels"
                  required
                  hint="The most concurrent calls, as in the customer's contract"
                  {...fieldProps('maxChannels')}
                >
                  <Input
                    ref={(element) => {
                      inputs.current.maxChannels = element;
                    }}
                    type="number"
                    min={1}
                    step={1}
                    value={values.maxChannels}
                    onChange={(_, data) => set('maxChannels', data.value)}
                  />
                </Field>
                <Field label="Name" hint="To tell this service apart in the list" {...fieldProps('name')}>
                  <Input
                    ref={(element) => {
                      inputs.current.name = element;
                    }}
                    value={values.name}
                    onChange={(_, data) => set('name', data.value)}
                    autoComplete="off"
                  />
                </Field>
                <Switch
                  label="Sync after save"
                  checked={values.syncAfterSave}
                  onChange={(_, data) => set('syncAfterSave', data.checked)}
                />
              </DialogContent>
              <DialogActions>
                <Button
                  appearance="primary"
                  type="submit"
                  disabled={saving}
                  icon={saving ? <Spinner size="tiny" aria-label="Saving" /> : undefined}
                >
                  Save
                </Button>
                <Button onClick={dismiss}>Cancel</Button>
              </DialogActions>
            </DialogBody>
          </form>
        )}
      </DialogSurface>
    </Dialog>
  );
}

/** The API's answer split into what belongs at a field and the rest. */
function placeError(error: unknown): { atFields: Partial<Record<FieldName, string>>; rest: unknown } {
  if (!(error instanceof ApiError)) return { atFields: {}, rest: error };
  if (error.status === 409 && (error.code === 'account_id_taken' || error.fieldMessage('accountId'))) {
    return { atFields: { accountId: error.message }, rest: undefined };
  }
  const atFields: Partial<Record<FieldName, string>> = {};
  for (const field of FIELDS) {
    const message = error.fieldMessage(field);
    if (message) atFields[field] = message;
  }
  const others = error.fields.filter((problem) => !(FIELDS as string[]).includes(problem.field));
  if (Object.keys(atFields).length === 0) return { atFields, rest: error };
  if (others.length === 0) return { atFields, rest: undefined };
  const rest = new ApiError(
    error.status,
    error.code,
    others.map((problem) => `${problem.field}: ${problem.message}`).join('; '),
    others,
  );
  return { atFields, rest };
}

/** The API's suggestion for Max Channels once both the seat type and count are given. */
function useChannelSuggestion(api: PortalApi, seatType: SeatType | '', seats: string) {
  const wanted = useDebounced(`${seatType}|${seats.trim()}`, 300);
  const [state, setState] = useState<{ value?: Suggestion; error?: string; loading: boolean }>({ loading: false });

  useEffect(() => {
    const [type, count] = wanted.split('|') as [SeatType | '', string];
    if (!type || count === '') {
      setState({ loading: false });
      return;
    }
    let current = true;
    setState({ loading: true });
    api
      .suggestMaxChannels(type, Number(count))
      .then((value) => current && setState({ value, loading: false }))
      .catch((error: unknown) => {
        if (!current) return;
        const message = error instanceof ApiError ? (error.fieldMessage('seats') ?? error.message) : messageOf(error);
        setState({ error: fieldSentence('Seat count', message), loading: false });
      });
    return () => {
      current = false;
    };
  }, [api, wanted]);

  return state;
}

/** "seats must be at least 1" reads better as "Seat count must be at least 1". */
function fieldSentence(label: string, message: string): string {
  return message.startsWith('seats ') ? `${label} ${message.slice('seats '.length)}` : message;
}
