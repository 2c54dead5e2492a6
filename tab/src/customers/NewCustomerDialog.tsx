import { Button, Field, Input, MessageBar, MessageBarBody, MessageBarTitle, Spinner, Switch, type InputProps } from '@fluentui/react-components';
import { customerLabel } from '../../../api/customers/customer-label';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { CreatedCustomer, CustomerView, PortalApi } from '../api/portal-api';
import { DialogShell } from '../shared/DialogShell';
import { useDialogRequest } from '../shared/use-dialog-request';
import { MaxChannelsHelper } from './MaxChannelsHelper';
import {
  EMPTY,
  FIELDS,
  missingFields,
  placeError,
  useChannelSuggestion,
  type FieldName,
  type FormValues,
} from './new-customer-form';

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
  const [values, setValues] = useState<FormValues>(EMPTY);
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<FieldName | 'seats', string>>>({});
  const [saved, setSaved] = useState<CreatedCustomer>();
  const inputs = useRef<Partial<Record<FieldName, HTMLInputElement | null>>>({});
  const isOpen = useRef(open);
  useEffect(() => {
    isOpen.current = open;
  }, [open]);
  const request = useDialogRequest({
    open,
    onCancel,
    onOpen: () => {
      setValues(EMPTY);
      setFieldErrors({});
      setSaved(undefined);
    },
  });
  const saving = request.sending;

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

  const save = (event: FormEvent) => {
    event.preventDefault();
    if (saving) return;
    const required = missingFields(values);
    request.clearFailure();
    setFieldErrors(required);
    if (Object.keys(required).length > 0) {
      focusFirst(required);
      return;
    }
    const input = {
      accountId: values.accountId.trim(),
      tenantName: values.tenantName.trim(),
      maxChannels: Number(values.maxChannels),
      ...(values.name.trim() ? { name: values.name.trim() } : {}),
      ...(values.seatType ? { seatType: values.seatType } : {}),
      syncAfterSave: values.syncAfterSave,
    };
    void request.send(
      () => api.createCustomer(input),
      (created) => {
        // With a sync started, say so before going back to the list; else straight back.
        // Cancelled while saving: the customer exists all the same, so the list shows it.
        if (created.syncRun && isOpen.current) setSaved(created);
        else onSaved(created);
      },
      (error) => {
        const { atFields, rest } = placeError(error);
        setFieldErrors(atFields);
        request.showFailure(rest);
        focusFirst(atFields);
      },
    );
  };

  const dismiss = () => (saved ? onSaved(saved) : onCancel());

  /** A text field of the form, with the API's (or the form's) complaint about it. */
  const textField = (field: FieldName, label: string, more: { required?: boolean; hint?: string; input?: InputProps }) => (
    <Field
      label={label}
      required={more.required}
      hint={more.hint}
      validationMessage={fieldErrors[field]}
      validationState={fieldErrors[field] ? 'error' : 'none'}
    >
      <Input
        ref={(element) => {
          inputs.current[field] = element;
        }}
        value={values[field]}
        onChange={(_, data) => set(field, data.value)}
        {...(more.input ?? { autoComplete: 'off' })}
      />
    </Field>
  );

  if (saved) {
    return (
      <DialogShell
        open={open}
        title="New customer"
        onDismiss={dismiss}
        stacked={false}
        actions={
          <Button appearance="primary" onClick={() => onSaved(saved)}>
            Close
          </Button>
        }
      >
        <MessageBar intent="success">
          <MessageBarBody>
            <MessageBarTitle>Customer {customerLabel(saved)} saved</MessageBarTitle>A sync of its numbers has started
            (Sync after save). The customers list shows the state of the sync.
          </MessageBarBody>
        </MessageBar>
      </DialogShell>
    );
  }
  return (
    <DialogShell
      open={open}
      title="New customer"
      onDismiss={dismiss}
      onSubmit={save}
      noValidate
      error={request.failure}
      actions={
        <>
          <Button
            appearance="primary"
            type="submit"
            disabled={saving}
            icon={saving ? <Spinner size="tiny" aria-label="Saving" /> : undefined}
          >
            Save
          </Button>
          <Button onClick={dismiss}>Cancel</Button>
        </>
      }
    >
      {textField('accountId', 'Account ID', { required: true })}
      {textField('tenantName', 'Office 365 Tenant Name', {
        required: true,
        hint: "The customer's Microsoft 365 tenant, such as contoso.onmicrosoft.com",
      })}
      <MaxChannelsHelper
        seatType={values.seatType}
        seats={values.seats}
        onSeatType={(seatType) => set('seatType', seatType)}
        onSeats={(seats) => set('seats', seats)}
        suggestion={suggestion}
        onUse={(maxChannels) => set('maxChannels', String(maxChannels))}
      />
      {textField('maxChannels', 'Max Channels', {
        required: true,
        hint: "The most concurrent calls, as in the customer's contract",
        input: { type: 'number', min: 1, step: 1 },
      })}
      {textField('name', 'Name', { hint: 'To tell this service apart in the list' })}
      <Switch label="Sync after save" checked={values.syncAfterSave} onChange={(_, data) => set('syncAfterSave', data.checked)} />
    </DialogShell>
  );
}
