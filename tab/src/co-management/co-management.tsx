import { MessageBar, MessageBarBody, MessageBarTitle } from '@fluentui/react-components';
import { customerLabel } from '../../../api/customers/customer-label';
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, type TeamsOperationView } from '../api/portal-api';

/** The API's answer when the customer does not allow co-management (any more). */
export const CO_MANAGEMENT_OFF = 'co_management_off';

/** How often an assignment pending at Microsoft is read again. */
export const OPERATION_POLL_MS = 1000;

export function isCoManagementOff(error: unknown): error is ApiError {
  return error instanceof ApiError && error.status === 403 && error.code === CO_MANAGEMENT_OFF;
}

export { customerLabel };

/**
 * The customer switched co-management off (or never allowed it): the view
 * keeps the refusal, stops doing anything, and tells the app once, so the
 * customers list is read again (and Manage turns off).
 */
export function useCoManagementOff(onRevoked?: () => void) {
  const [off, setOff] = useState<ApiError>();
  const told = useRef(false);
  const onRevokedRef = useRef(onRevoked);
  useEffect(() => {
    onRevokedRef.current = onRevoked;
  }, [onRevoked]);
  /** True when the error was the refusal (the caller shows nothing else). */
  const report = useCallback((error: unknown): boolean => {
    if (!isCoManagementOff(error)) return false;
    setOff((before) => before ?? error);
    if (!told.current) {
      told.current = true;
      onRevokedRef.current?.();
    }
    return true;
  }, []);
  return { off, report };
}

/** The refusal, prominently, with what it means for this view. */
export function CoManagementOffBar({ error }: { error: ApiError }) {
  return (
    <MessageBar intent="warning" role="alert" layout="multiline">
      <MessageBarBody>
        <MessageBarTitle>Co-management is off</MessageBarTitle>
        {error.message} Nothing can be changed here any more; press Close to go back to Customers.
      </MessageBarBody>
    </MessageBar>
  );
}

/** An assignment in words: "Assigning +15550100001", "Unassigning +15550100001". */
export function operationDoing(operation: TeamsOperationView): string {
  return `${operation.kind === 'assign' ? 'Assigning' : 'Unassigning'} ${operation.telephoneNumber}`;
}

/** How a finished assignment ended, in a sentence for the notice. */
export function operationOutcome(operation: TeamsOperationView): string {
  if (operation.state === 'done') {
    return operation.kind === 'assign'
      ? `${operation.telephoneNumber} is assigned to ${operation.userName}.`
      : `${operation.telephoneNumber} is unassigned from ${operation.userName}.`;
  }
  const what =
    operation.kind === 'assign'
      ? `${operation.telephoneNumber} could not be assigned to ${operation.userName}`
      : `${operation.telephoneNumber} could not be unassigned from ${operation.userName}`;
  return `${what}: ${operation.reason ?? 'Microsoft gave no reason.'}`;
}
