import type { ObjectId } from 'mongodb';
import type { Actor } from '../auth/caller';
import type { CustomerAdmin } from './customer-admin';
import { defineCollection } from '../storage/collection-definition';

/** The link a partner sends to a customer's administrator. Only the token's hash is kept. */
export interface ActivationLinkDocument {
  /** SHA-256 of the link's token. */
  _id: string;
  partnerId: ObjectId;
  customerId: ObjectId;
  createdAt: Date;
  createdBy: Actor;
  expiresAt: Date;
}

/** One browser on the activation page (cookie), from opening the link to switching co-management. */
export interface ActivationSessionDocument {
  /** SHA-256 of the cookie's value. */
  _id: string;
  /** The link it was opened with; none when the admin came without one (to switch co-management off). */
  linkId?: string;
  /** The service (customer) the page is about: from the link, or picked after sign-in. */
  partnerId?: ObjectId;
  customerId?: ObjectId;
  /** The Microsoft round trip under way (OAuth state and nonce). */
  pending?: { purpose: 'sign-in' | 'consent'; state: string; nonce: string };
  admin?: CustomerAdmin & { roles: string[] };
  /** What the page shows once, after coming back from Microsoft. */
  notice?: { kind: 'success' | 'error'; message: string };
  createdAt: Date;
  expiresAt: Date;
}

export const activationLinkCollection = defineCollection<ActivationLinkDocument>('activationLinks', [
  { key: { customerId: 1 }, name: 'customer' },
  { key: { expiresAt: 1 }, expireAfterSeconds: 0, name: 'expiry_ttl' },
]);

export const activationSessionCollection = defineCollection<ActivationSessionDocument>('activationSessions', [
  { key: { expiresAt: 1 }, expireAfterSeconds: 0, name: 'expiry_ttl' },
]);
