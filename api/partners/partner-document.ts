import type { ObjectId } from 'mongodb';

export interface PartnerDocument {
  _id: ObjectId;
  /** The partner's Microsoft Entra tenant id, an opaque string. */
  tenantId: string;
  name: string;
  createdAt: Date;
}
