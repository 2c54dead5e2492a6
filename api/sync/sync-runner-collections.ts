import type { Collection } from 'mongodb';
import type { CustomerDocument } from '../customers/customer-document';
import type { NumberDocument } from '../numbers/number-document';
import type { NumberHistoryDocument } from '../numbers/number-history-document';
import type { SyncRunDocument } from './sync-run-document';

export interface SyncRunnerCollections {
  customers: Collection<CustomerDocument>;
  numbers: Collection<NumberDocument>;
  history: Collection<NumberHistoryDocument>;
  runs: Collection<SyncRunDocument>;
}
