import { useEffect, useState } from 'react';
import { ApiError, type PortalApi, type SeatType } from '../api/portal-api';
import { messageOf } from '../shared/ErrorBar';
import { useDebounced } from '../shared/use-debounced';

/** The form's fields, named as the API names them. */
export type FieldName = 'accountId' | 'tenantName' | 'maxChannels' | 'name';
export const FIELDS: FieldName[] = ['accountId', 'tenantName', 'maxChannels', 'name'];

export interface FormValues {
  accountId: string;
  tenantName: string;
  maxChannels: string;
  name: string;
  syncAfterSave: boolean;
  seatType: SeatType | '';
  seats: string;
}

export const EMPTY: FormValues = {
  accountId: '',
  tenantName: '',
  maxChannels: '',
  name: '',
  syncAfterSave: false,
  seatType: '',
  seats: '',
};

export type Suggestion = { maxChannels: number; rule: string };

/** The fields left empty that must not be, each with its complaint. */
export function missingFields(values: FormValues): Partial<Record<FieldName, string>> {
  const required: Partial<Record<FieldName, string>> = {};
  if (!values.accountId.trim()) required.accountId = 'Account ID is required';
  if (!values.tenantName.trim()) required.tenantName = 'Office 365 Tenant Name is required';
  if (!values.maxChannels.trim()) required.maxChannels = 'Max Channels is required';
  return required;
}

/** The API's answer split into what belongs at a field and the rest. */
export function placeError(error: unknown): { atFields: Partial<Record<FieldName, string>>; rest: unknown } {
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
export function useChannelSuggestion(api: PortalApi, seatType: SeatType | '', seats: string) {
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
