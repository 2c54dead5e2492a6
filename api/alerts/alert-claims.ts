import type { Collection } from 'mongodb';
import { isDuplicateKeyError } from '../storage/duplicate-key';
import type { AlertClaimDocument } from './alert-claim-document';
import type { AlertRule } from './alert-rule';

/** Claims after which the race is given up (only ever reached by many instances raising different news at once). */
const MAX_TRIES = 5;

/**
 * Decides, across instances, whether an event alerts: not when the latest
 * alert of its key said the same and is recent enough; otherwise the next
 * alert of the key is claimed with a unique insert, so of two instances
 * raising the same event one alerts.
 */
export class AlertClaims {
  constructor(
    private readonly claims: Collection<AlertClaimDocument>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** The claim's id when this instance alerts for it (release it if the alert cannot be stored); undefined: it does not. */
  async claim(rule: AlertRule): Promise<string | undefined> {
    for (let tries = 0; tries < MAX_TRIES; tries++) {
      const [latest] = await this.claims.find({ key: rule.key }).sort({ serial: -1 }).limit(1).toArray();
      const at = this.now();
      if (latest && latest.fingerprint === rule.fingerprint) {
        const quiet = rule.repeatAfterMs === undefined || at.getTime() - latest.at.getTime() < rule.repeatAfterMs;
        if (quiet) return undefined;
      }
      // Nothing alerted under the key, so nothing to settle.
      if (rule.settles && (!latest || latest.fingerprint === rule.fingerprint)) return undefined;
      const serial = (latest?.serial ?? 0) + 1;
      const id = `${rule.key}:${serial}`;
      try {
        await this.claims.insertOne({ _id: id, key: rule.key, serial, fingerprint: rule.fingerprint, at });
        return id;
      } catch (error) {
        // Another instance alerted first: decide again from what it alerted.
        if (!isDuplicateKeyError(error)) throw error;
      }
    }
    return undefined;
  }

  /** Gives a claim back (its alert could not be stored), so the next raise of the event alerts. */
  async release(id: string): Promise<void> {
    await this.claims.deleteOne({ _id: id });
  }
}
