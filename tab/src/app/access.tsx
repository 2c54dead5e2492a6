import { createContext, useContext } from 'react';
import type { MeView } from '../api/portal-api';

/** What the signed-in member may do, as the API said in /me: views show only the buttons that work. */
export interface Access {
  me?: MeView;
  /** True when the caller's role allows the API operation (its OpenAPI operation id). */
  can(operationId: string): boolean;
}

/** Before /me has answered: nothing that changes anything is shown yet. */
export const NO_ACCESS_YET: Access = { can: () => false };

export function accessOf(me: MeView): Access {
  const actions = new Set(me.actions);
  return { me, can: (operationId) => actions.has(operationId) };
}

/**
 * The App provides the caller's access once /me has answered. A view shown on
 * its own (a test of one view) may do everything; the API refuses anyway.
 */
const AccessContext = createContext<Access>({ can: () => true });

export const AccessProvider = AccessContext.Provider;

export function useAccess(): Access {
  return useContext(AccessContext);
}
