import { defineCollection } from '../storage/collection-definition';

/**
 * One alert that was sent (or is being sent), claimed by a unique insert:
 * `<key>:<serial>`, where the key names what is alerted on (partner, customer
 * and kind of event, or the job) and the serial counts its alerts. Of two
 * instances that decide to alert from the same latest claim, only one inserts
 * the next serial; the other reads that claim and decides again.
 */
export interface AlertClaimDocument {
  _id: string;
  key: string;
  serial: number;
  fingerprint: string;
  at: Date;
}

export const alertClaimCollection = defineCollection<AlertClaimDocument>('alertClaims', [
  { key: { key: 1, serial: -1 }, name: 'key_serial' },
  // A claim matters while it can hold a repeat back (ALERT_REPEAT_HOURS is at most 30 days).
  { key: { at: 1 }, expireAfterSeconds: 60 * 24 * 3600, name: 'alert_claims_ttl' },
]);
