import type { ObjectId } from 'mongodb';
import type { NumberStatus } from './number-document';

/** One status a number had, when, and which sync run gave it. */
export interface NumberHistoryDocument {
  _id: ObjectId;
  partnerId: ObjectId;
  customerId: ObjectId;
  e164: string;
  runId: ObjectId;
  status: NumberStatus | 'removed';
  statusText: string;
  detail?: string;
  at: Date;
}
