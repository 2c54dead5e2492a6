import type { BackendAccount, BackendCallflow, BackendUser } from '../backend-types';

/** What the simulator holds for one account. */
export interface SimulatedAccount {
  account: BackendAccount;
  /** The account directly above it (a customer's reseller, a reseller's carrier), if any. */
  parentId?: string;
  numbers: Map<string, { state: string; created: number; updated: number }>;
  callflows: Map<string, BackendCallflow>;
  /** Which callflow holds each number: Kazoo's numbers.unique rule, without scanning. */
  callflowOfNumber: Map<string, string>;
  users: Map<string, BackendUser>;
}
