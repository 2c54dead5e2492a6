import type { ObjectId } from 'mongodb';
import type { NumberStatus } from './number-document';
import { defineCollection } from '../storage/collection-definition';

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

export const numberHistoryCollection = defineCollection<NumberHistoryDocument>('numberHistory', [
  { key: { customerId: 1, e164: 1, at: -1 }, name: 'customer_e164_at' },
]);
