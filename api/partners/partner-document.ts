import type { ObjectId } from 'mongodb';
import { defineCollection } from '../storage/collection-definition';

export interface PartnerDocument {
  _id: ObjectId;
  /** The partner's Microsoft Entra tenant id, an opaque string. */
  tenantId: string;
  name: string;
  createdAt: Date;
}

export const partnerCollection = defineCollection<PartnerDocument>('partners', [{ key: { tenantId: 1 }, unique: true, name: 'tenantId_unique' }]);
