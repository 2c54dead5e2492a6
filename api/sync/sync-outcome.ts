import type { CustomerDocument } from '../customers/customer-document';
import type { NumberDocument } from '../numbers/number-document';
import type { BackendState, SyncPlan } from './sync-plan';
import type { SyncProblem, SyncRunDocument } from './sync-run-document';

/** What a real run read and did, handed over at its successful end, so others need not read the backend again. */
export interface SyncSucceeded {
  run: SyncRunDocument;
  customer: CustomerDocument;
  /** The customer's numbers in the portal as the run read them (pending removals included). */
  portal: NumberDocument[];
  /** Classifications as saved: numbers the run could not route are back to pending. */
  plan: SyncPlan;
  backend: BackendState;
  /** Backend numbers the run imported into the portal. */
  imported: string[];
  /** Numbers whose removal the run completed. */
  removed: Set<string>;
}

export interface SyncFailed {
  run: SyncRunDocument;
  /** Absent when the customer could not be read. */
  customer?: CustomerDocument;
  errors: SyncProblem[];
}

/**
 * Told at the end of every real run (never a dry run), before the run reports
 * its end. A listener that throws is logged: it never fails the sync.
 */
export interface SyncOutcomeListener {
  succeeded(outcome: SyncSucceeded): Promise<void>;
  failed(outcome: SyncFailed): Promise<void>;
}
