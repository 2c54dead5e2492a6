import type { CustomerView, PortalApi, TeamsUserView } from '../api/portal-api';
import { useDialogRequest, type DialogRequestOptions } from '../shared/use-dialog-request';
import { isCoManagementOff } from './co-management';

/** What every co-management dialog is given; each adds what its success hands back. */
export interface CoManagementDialogProps {
  api: PortalApi;
  customer: CustomerView;
  /** The user the dialog is about, fixed when it opens. */
  user: TeamsUserView | undefined;
  open: boolean;
  onCancel(): void;
  /** The customer switched co-management off. */
  onRevoked(error: unknown): void;
}

/**
 * The co-management dialogs' request (Assign number, Unassign number, Voice
 * routing policy): the shared dialog request, with a co_management_off
 * refusal handed to onRevoked instead of shown in the dialog.
 */
export function useCoManagementRequest<C = never>({
  onRevoked,
  ...options
}: Omit<DialogRequestOptions<C>, 'report'> & { onRevoked(error: unknown): void }) {
  return useDialogRequest<C>({
    ...options,
    report: (error) => {
      if (!isCoManagementOff(error)) return false;
      onRevoked(error);
      return true;
    },
  });
}
